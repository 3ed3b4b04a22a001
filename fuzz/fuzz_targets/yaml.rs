#![no_main]
//! `syntax::yaml::parse` on arbitrary text: no panic, no overflow, every span (errors and
//! nodes, also after an indentation was mended) inside the text, on character boundaries.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let p = iacguard::syntax::yaml::parse(text, 0);
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
});
