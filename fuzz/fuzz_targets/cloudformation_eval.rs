#![no_main]
//! Parses arbitrary text as a YAML template and evaluates it.

use iacguard::cloudformation::{evaluate, exports, CfnOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let Some(root) = iacguard::syntax::yaml::parse(text, 0).root else {
        return;
    };
    let options = CfnOptions::default();
    let ex = exports(&root, &options);
    let _ = evaluate(&root, &options, &ex);
});
