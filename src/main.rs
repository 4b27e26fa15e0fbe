fn main() {
    let path = std::env::args().nth(1).unwrap();
    let wb = ocs::read::read_file(std::path::Path::new(&path), &Default::default()).unwrap();
    for d in &wb.notes { eprintln!("{d}"); }
    for g in &wb.grids {
        for laid in ocs::layout::layout(g, &path).unwrap_or_default() {
            for d in &laid.diagnostics { eprintln!("{d}"); }
            println!("{}", laid.standard.to_json());
        }
    }
}
