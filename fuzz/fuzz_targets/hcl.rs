#![no_main]
//! `syntax::hcl::parse` on arbitrary text: no panic, no overflow, spans inside the text.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let p = iacguard::syntax::hcl::parse(text, 0);
    for e in &p.errors {
        assert!(e.span.end as usize <= text.len());
    }
});
