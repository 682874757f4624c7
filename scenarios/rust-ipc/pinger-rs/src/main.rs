//! pinger: sends messages of random bytes (from the kernel's generator, so the same seed
//! gives the same bytes) to the C task `summer` over IPC, reads back each checksum, checks
//! it against its own, and says "bye". Built for the target (`no_std`, shield's start) or
//! for the host (std's start) from the same sources.
#![cfg_attr(target_os = "none", no_std)]
#![cfg_attr(target_os = "none", no_main)]

use sentry_uapi::systypes::{Event, EventType, ExchangeHeader, Status};
use sentry_uapi::{copy_from_kernel, copy_to_kernel, syscall};
use shield::println;

#[cfg(target_os = "none")]
shield::shield_main!();

/// Label of the C task (scenarios/rust-ipc/rust-ipc.ini).
const SUMMER: u32 = 0x100;

/// Fletcher-32, as summer computes it.
fn checksum(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (0u32, 0u32);
    for x in bytes {
        a = (a + u32::from(*x)) % 65535;
        b = (b + a) % 65535;
    }
    b << 16 | a
}

/// A random word from the kernel.
fn random() -> u32 {
    let mut w: u32 = 0;
    match syscall::get_random() {
        Status::Ok => {
            let _ = copy_from_kernel(&mut w);
        }
        other => println!("get_random: {:?}", other),
    }
    w
}

fn main() {
    if syscall::get_process_handle(SUMMER) != Status::Ok {
        println!("no task 0x{:x}", SUMMER);
        return;
    }
    let mut summer: u32 = 0;
    let _ = copy_from_kernel(&mut summer);
    println!("pinger up, summer is 0x{:08x}", summer);

    let mut matched = 0;
    for n in 1..=5u32 {
        let len = 8 + 12 * (n as usize - 1);
        let mut msg = [0u8; 64];
        for chunk in msg[..len].chunks_mut(4) {
            let w = random().to_le_bytes();
            chunk.copy_from_slice(&w[..chunk.len()]);
        }
        let _ = copy_to_kernel(&&msg[..len]);
        let sent = syscall::send_ipc(summer, len as u8);

        let mut answer = [0u8; 4];
        let mut ev = Event {
            header: ExchangeHeader { event: 0, length: 0, magic: 0, peer: 0 },
            data: &mut answer,
        };
        let waited = syscall::wait_for_event(EventType::Ipc.into(), 0);
        let read = copy_from_kernel(&mut ev);
        let theirs = u32::from_le_bytes(answer);
        let ours = checksum(&msg[..len]);
        if ours == theirs {
            matched += 1;
        }
        println!(
            "message {}: {} bytes, first {:02x}, checksum {:08x} from summer, {:08x} here: {} (send {:?}, wait {:?}, read {:?})",
            n,
            len,
            msg[0],
            theirs,
            ours,
            if ours == theirs { "match" } else { "MISMATCH" },
            sent,
            waited,
            match read {
                Ok(s) | Err(s) => s,
            },
        );
    }
    let _ = copy_to_kernel(&&b"bye"[..]);
    let _ = syscall::send_ipc(summer, 3);
    println!("{} of 5 checksums match", matched);
}
