//! exchange.rs: copies between task memory and the exchange area, as upstream's crate
//! offers them, over libsentry-uapi's copy_to_kernel / copy_from_kernel (which work on the
//! library's `_s_svcexchange`, the area the gate hands to the kernel).
//!
//! As upstream: records and scalars the kernel writes (ShmInfo, GpdmaStreamConfig, u8 to
//! usize) can only be read, byte slices both ways, and an Event is read whole (header and
//! payload) and written as its payload when it is an IPC.
use crate::gate;
use crate::systypes::{EventType, ExchangeHeader, Status};
use core::mem::size_of;

include!(concat!(env!("OUT_DIR"), "/platform.rs"));

/// Exchange-area length (SENTRY_SVCEXCHANGE_LEN of the C headers this crate was built with).
pub const fn length() -> usize {
    EXCHANGE_AREA_LEN
}

/// A type that can cross the exchange area. Only this crate's types implement it.
pub trait SentryExchangeable {
    /// Copy this value into the exchange area.
    fn to_kernel(&self) -> Result<Status, Status>;
    /// Set this value from the exchange area.
    fn from_kernel(&mut self) -> Result<Status, Status>;
}

fn status(word: u32) -> Result<Status, Status> {
    match Status::from(word) {
        Status::Ok => Ok(Status::Ok),
        other => Err(other),
    }
}

/// Copy min(len, area) bytes at `p` into the exchange area.
fn put(p: *const u8, len: usize) -> Result<Status, Status> {
    status(unsafe { gate::copy_to_kernel(p, len) })
}

/// Copy min(len, area) bytes of the exchange area to `p`.
fn get(p: *mut u8, len: usize) -> Result<Status, Status> {
    status(unsafe { gate::copy_from_kernel(p, len) })
}

/// Kernel-written plain data: read as the bytes of the area; never written by a task.
macro_rules! kernel_written {
    ($($t:ty),*) => {$(
        impl SentryExchangeable for $t {
            fn from_kernel(&mut self) -> Result<Status, Status> {
                get(self as *mut $t as *mut u8, size_of::<$t>())
            }
            fn to_kernel(&self) -> Result<Status, Status> {
                Err(Status::Invalid)
            }
        }
    )*};
}

kernel_written!(
    u8,
    u16,
    u32,
    u64,
    usize,
    crate::systypes::shm::ShmInfo,
    crate::systypes::dma::GpdmaStreamConfig
);

impl SentryExchangeable for &mut [u8] {
    fn from_kernel(&mut self) -> Result<Status, Status> {
        get(self.as_mut_ptr(), self.len())
    }
    fn to_kernel(&self) -> Result<Status, Status> {
        put(self.as_ptr(), self.len())
    }
}

impl SentryExchangeable for &[u8] {
    fn from_kernel(&mut self) -> Result<Status, Status> {
        Err(Status::Invalid)
    }
    fn to_kernel(&self) -> Result<Status, Status> {
        put(self.as_ptr(), self.len())
    }
}

impl SentryExchangeable for crate::systypes::Event<'_> {
    /// The header, checked (magic, length within the area), then its payload into `data`
    /// (Status::Invalid when `data` is too short for it).
    fn from_kernel(&mut self) -> Result<Status, Status> {
        let mut area = [0u8; EXCHANGE_AREA_LEN];
        get(area.as_mut_ptr(), EXCHANGE_AREA_LEN)?;
        let hlen = size_of::<ExchangeHeader>();
        self.header = ExchangeHeader {
            event: area[0],
            length: area[1],
            magic: u16::from_ne_bytes([area[2], area[3]]),
            peer: u32::from_ne_bytes([area[4], area[5], area[6], area[7]]),
        };
        if !self.header.is_valid() {
            return Err(Status::Invalid);
        }
        let n = usize::from(self.header.length);
        if hlen + n > EXCHANGE_AREA_LEN || n > self.data.len() {
            return Err(Status::Invalid);
        }
        self.data[..n].copy_from_slice(&area[hlen..hlen + n]);
        Ok(Status::Ok)
    }

    /// An IPC event is sent as its payload; other events carry nothing a task sends.
    fn to_kernel(&self) -> Result<Status, Status> {
        if self.header.event == EventType::Ipc.into() {
            put(self.data.as_ptr(), self.data.len())
        } else {
            Err(Status::Invalid)
        }
    }
}

/// Copy `from` into the exchange area.
pub fn copy_to_kernel<T>(from: &T) -> Result<Status, Status>
where
    T: SentryExchangeable + ?Sized,
{
    from.to_kernel()
}

/// Set `to` from the exchange area.
pub fn copy_from_kernel<T>(to: &mut T) -> Result<Status, Status>
where
    T: SentryExchangeable + ?Sized,
{
    to.from_kernel()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gate::fake;
    use crate::systypes::shm::ShmInfo;
    use crate::systypes::Event;

    fn area_write(off: usize, bytes: &[u8]) {
        fake::AREA.with(|a| a.borrow_mut()[off..off + bytes.len()].copy_from_slice(bytes));
    }

    #[test]
    fn bytes_round_trip_and_truncate_at_the_area() {
        let big = [0x5au8; EXCHANGE_AREA_LEN + 10];
        assert_eq!(copy_to_kernel(&&big[..]), Ok(Status::Ok));
        let mut back = [0u8; EXCHANGE_AREA_LEN + 10];
        assert_eq!(copy_from_kernel(&mut &mut back[..]), Ok(Status::Ok));
        assert!(back[..EXCHANGE_AREA_LEN].iter().all(|b| *b == 0x5a));
        assert!(back[EXCHANGE_AREA_LEN..].iter().all(|b| *b == 0));
    }

    #[test]
    fn scalars_and_records_are_read_only() {
        area_write(0, &0x1122_3344u32.to_ne_bytes());
        let mut h: u32 = 0;
        assert_eq!(copy_from_kernel(&mut h), Ok(Status::Ok));
        assert_eq!(h, 0x1122_3344);
        assert_eq!(copy_to_kernel(&h), Err(Status::Invalid));
        let info = ShmInfo { handle: 1, label: 2, base: 3, len: 4, perms: 5 };
        assert_eq!(copy_to_kernel(&info), Err(Status::Invalid));
    }

    #[test]
    fn events_are_checked_and_copied() {
        let mut hdr = vec![EventType::Ipc as u8, 3, 0x42, 0x42];
        hdr.extend_from_slice(&0xabcdu32.to_ne_bytes());
        hdr.extend_from_slice(&[7, 8, 9]);
        area_write(0, &hdr);
        let mut buf = [0u8; 8];
        let mut ev = Event {
            header: ExchangeHeader { event: 0, length: 0, magic: 0, peer: 0 },
            data: &mut buf,
        };
        assert_eq!(copy_from_kernel(&mut ev), Ok(Status::Ok));
        assert_eq!(ev.header.peer, 0xabcd);
        assert_eq!(ev.header.length, 3);
        assert_eq!(&ev.data[..3], &[7, 8, 9]);

        // A payload longer than the buffer, then a missing magic: INVALID.
        let mut small = [0u8; 2];
        let mut ev2 = Event { header: ev.header, data: &mut small };
        assert_eq!(copy_from_kernel(&mut ev2), Err(Status::Invalid));
        area_write(2, &[0, 0]);
        assert_eq!(copy_from_kernel(&mut ev), Err(Status::Invalid));
    }

    #[test]
    fn an_ipc_event_sends_its_payload() {
        let mut payload = [1u8, 2, 3, 4];
        let ev = Event {
            header: ExchangeHeader { event: EventType::Ipc.into(), length: 4, magic: 0, peer: 0 },
            data: &mut payload,
        };
        assert_eq!(copy_to_kernel(&ev), Ok(Status::Ok));
        let mut back = [0u8; 4];
        assert_eq!(copy_from_kernel(&mut &mut back[..]), Ok(Status::Ok));
        assert_eq!(back, [1, 2, 3, 4]);
        let sig = Event { header: ExchangeHeader { event: EventType::Signal.into(), ..ev.header }, data: &mut [] };
        assert_eq!(copy_to_kernel(&sig), Err(Status::Invalid));
    }
}
