//! print.rs: print! and println! through the `log` system call.
//!
//! The formatted text is gathered in a buffer of one exchange area and logged when the
//! buffer is full and at the end, so a short line is one `log` call, as a C task's is.
use core::fmt;
use uapi::{copy_to_kernel, syscall};

const AREA: usize = uapi::length();

struct LogSink {
    buf: [u8; AREA],
    used: usize,
}

impl LogSink {
    fn flush(&mut self) {
        if self.used > 0 {
            let _ = copy_to_kernel(&&self.buf[..self.used]);
            let _ = syscall::log(self.used);
            self.used = 0;
        }
    }
}

impl fmt::Write for LogSink {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let mut rest = s.as_bytes();
        while !rest.is_empty() {
            if self.used == AREA {
                self.flush();
            }
            let n = rest.len().min(AREA - self.used);
            self.buf[self.used..self.used + n].copy_from_slice(&rest[..n]);
            self.used += n;
            rest = &rest[n..];
        }
        Ok(())
    }
}

/// What [`crate::print!`] calls.
pub fn _print(args: fmt::Arguments) {
    use core::fmt::Write;
    let mut sink = LogSink { buf: [0; AREA], used: 0 };
    let _ = sink.write_fmt(args);
    sink.flush();
}

/// Formats and logs, as `std::print!` would write.
#[macro_export]
macro_rules! print {
    ($($arg:tt)*) => {
        $crate::print::_print(format_args!($($arg)*))
    };
}

/// Formats and logs a line.
#[macro_export]
macro_rules! println {
    () => ($crate::print!("\n"));
    ($($arg:tt)*) => ($crate::print!("{}\n", format_args!($($arg)*)));
}
