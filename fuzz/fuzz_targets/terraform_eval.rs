#![no_main]
//! Parses arbitrary text as one `.tf` file of a root module and evaluates it.

use iacguard::terraform::{evaluate, Manifests, TfFile, TfOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let Some(body) = iacguard::syntax::hcl::parse(text, 0).body else {
        return;
    };
    let files = [TfFile {
        dir: String::new(),
        name: "main.tf".into(),
        body,
        is_tfvars: false,
    }];
    let _ = evaluate(&files, &TfOptions::default(), &[], &Manifests::new());
});
