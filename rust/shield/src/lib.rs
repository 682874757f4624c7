//! shield, host edition: the parts of shield-rs that Rust task code uses, for tasks run
//! under sentry-sim.
//!
//! - [`print!`] and [`println!`] format into the exchange area and log with the `log`
//!   system call (as shield-rs does): the text reaches the daemon's task output, never the
//!   host's stdout, which the sandbox refuses.
//! - [`shield_main!`] names the task's `main` as its entry. On the target it defines the
//!   unmangled `main` that shield's `_start` calls; on the host the Rust standard library's
//!   start calls `main`, so it only checks that `crate::main` is a `fn()`.
//! - The start, entry -> main -> exit: libsentry-uapi's boot constructor meets the daemon
//!   and installs the sandbox, the standard library's start runs `main`, and main's return
//!   reaches the `exit` system call (the library's on_exit handler) with the process's
//!   exit status. [`start`] is the same sequence for code that calls it by hand.
#![cfg_attr(target_os = "none", no_std)]

extern crate sentry_uapi as uapi;

pub use uapi::systypes::Status;

pub mod print;

/// Runs `main`, then ends the job with the `exit` system call and status 0: the start of
/// shield-rs (entry -> main -> exit) for a caller that owns its entry point.
pub fn start(main: fn()) -> ! {
    main();
    uapi::syscall::exit(0);
    // exit never returns; should the kernel answer anyway, stay in place as the target
    // would (the daemon's watchdog sees a task that does not end).
    loop {
        uapi::syscall::sched_yield();
    }
}

/// Names `crate::main` as the task's entry (see the crate's documentation).
#[cfg(target_os = "none")]
#[macro_export]
macro_rules! shield_main {
    () => {
        #[doc(hidden)]
        mod __shield_startup {
            #[doc(hidden)]
            #[no_mangle]
            pub fn main() {
                crate::main()
            }
        }
    };
}

/// Names `crate::main` as the task's entry (see the crate's documentation).
#[cfg(not(target_os = "none"))]
#[macro_export]
macro_rules! shield_main {
    () => {
        #[doc(hidden)]
        const _: fn() = crate::main;
    };
}
