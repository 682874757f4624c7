//! stdout: logs one line, then writes to the host's stdout with std's println!. The
//! sandbox faults it and names the call (write); the text never reaches stdout.
fn main() {
    shield::println!("stdout: about to print");
    println!("stdout: this line must not appear");
    shield::println!("stdout: still running");
}
