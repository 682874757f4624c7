//! no-call: makes no Sentry call at all and ends. Its process must still boot through
//! libsentry-uapi (kept linked under --as-needed) and end with exit status 0.
fn main() {
    let _ = sentry_uapi::systypes::Status::Ok;
}
