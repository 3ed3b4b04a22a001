#![no_main]
//! `syntax::json::parse` on arbitrary text, then the `.tf.json` conversion.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let p = iacguard::syntax::json::parse(text, 0);
    for e in &p.errors {
        assert!(e.span.end as usize <= text.len());
    }
    if let Some(root) = p.root {
        let _ = iacguard::syntax::hcl::from_json(&root, 0);
    }
});
