//! panics: a Rust panic (an index out of bounds). The standard library's panic message goes
//! to stderr, which the sandbox refuses: the task is faulted and the report names `write`.
fn main() {
    let v = [1u8, 2, 3];
    let i = v.len() + usize::from(v[0]);
    shield::println!("panics: about to index {}", i);
    shield::println!("panics: got {}", v[i]);
}
