//! sentry-uapi, host edition: the Sentry user API for Rust tasks run under sentry-sim.
//!
//! The public API is the one of upstream's `sentry-uapi` crate, 0.4.x: [`mod@systypes`]
//! (every type and value of the kernel interface), [`mod@syscall`] (one function per system
//! call), the exchange-area primitives [`copy_to_kernel`] and [`copy_from_kernel`], and
//! [`mod@ffi_c`] (the C names of the system calls). Upstream traps into the kernel with
//! `svc`; this crate calls libsentry-uapi, sentry-sim's C library, whose gate hands the
//! call to the simulated kernel. A Rust task and a C task therefore share one runtime (the
//! library's boot constructor), one sandbox and one kernel.
//!
//! Build-time inputs (see build.rs): `SENTRY_UAPI_CFLAGS` / `SENTRY_UAPI_LIBS`, else
//! `pkg-config sentry-uapi`.
#![cfg_attr(target_os = "none", no_std)]

mod gate;

/// The C names of the system calls (`__sys_*`, `copy_to_kernel`, `copy_from_kernel`).
///
/// Upstream exports these from the Rust library for C code. Here libsentry-uapi already
/// exports them to C tasks, so this module keeps the Rust-callable items with the same
/// names and signatures and no exported symbol (two definitions would clash at link time).
pub mod ffi_c;

/// Exchange-area primitives: [`SentryExchangeable`] types copied to and from the task's
/// exchange area (`_s_svcexchange` of libsentry-uapi).
mod exchange;

/// One function per Sentry system call, each returning the kernel's [`systypes::Status`].
pub mod syscall;

/// The types and values of the kernel interface (uapi.md 1.3-1.5).
pub mod systypes;

/// Copy a value from the exchange area into `to`.
pub use self::exchange::copy_from_kernel;
/// Copy a value into the exchange area.
pub use self::exchange::copy_to_kernel;
/// Length of the exchange area (SENTRY_SVCEXCHANGE_LEN of the C headers).
pub use self::exchange::length;
/// The types that can cross the exchange area.
pub use self::exchange::SentryExchangeable;
