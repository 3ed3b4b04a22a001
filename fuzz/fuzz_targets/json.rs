#![no_main]
//! `syntax::json::parse` on arbitrary text, then the `.tf.json` conversion: no panic,
//! every span inside the text, on character boundaries.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let p = iacguard::syntax::json::parse(text, 0);
    let inside = |s: iacguard::source::Span| {
        let (a, b) = (s.start as usize, s.end as usize);
        assert!(a <= b && b <= text.len(), "{s:?} outside {}", text.len());
        assert!(text.is_char_boundary(a) && text.is_char_boundary(b));
    };
    for e in &p.errors {
        inside(e.span);
    }
    for s in p.root.iter().flat_map(|r| r.spans()) {
        inside(s);
    }
    if let Some(root) = p.root {
        let _ = iacguard::syntax::hcl::from_json(&root, 0);
    }
});
