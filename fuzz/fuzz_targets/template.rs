//! Any text as a `--template` file: parsing and validation never panic, and a template they accept
//! has finite, positive geometry.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(template) = ocs::template::Template::parse(text) {
        let page = &template.page;
        assert!(page.width_mm.is_finite() && page.height_mm.is_finite() && template.table.padding_pt.is_finite());
        assert!(template.table.columns.iter().all(|c| c.is_finite() && *c > 0.0));
    }
});
