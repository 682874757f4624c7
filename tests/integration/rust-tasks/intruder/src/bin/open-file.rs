//! open-file: opens a file before any Sentry call. The sandbox faults it and names the
//! call (openat); the line after it must never be logged. It names only a type of
//! sentry-uapi, so libsentry-uapi is kept linked by the crate alone (its boot must run).
use sentry_uapi::systypes::Status;

fn main() {
    let opened = std::fs::File::open("/etc/hostname").is_ok();
    shield::println!("open-file: still running (opened: {}, {:?})", opened, Status::Ok);
}
