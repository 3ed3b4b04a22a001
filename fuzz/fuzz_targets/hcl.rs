#![no_main]
//! `syntax::hcl::parse` on arbitrary text: no panic, no overflow, spans inside the text.
//! And the module-source scanner that groups files before parsing: no panic, and on text
//! the parser accepts, the same `source` literals of `module` blocks as the parser.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let p = iacguard::syntax::hcl::parse(text, 0);
    for e in &p.errors {
        assert!(e.span.end as usize <= text.len());
    }
    if let Some(Err(e)) = iacguard::terraform::scan::agrees_with_parser(text) {
        panic!("{e}");
    }
});
