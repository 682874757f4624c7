//! systypes.rs: the types and values of the Sentry kernel interface, as upstream's crate
//! names them. Values are those of the C headers (uapi/include/uapi/types.h, dma.h); the
//! unit test `systypes_match_c_headers` checks each against the headers at build time.

/// Declares a C-like enum numbered from 0 in order, with `TryFrom<$int>` (INVALID for any
/// other value), as upstream's `syscall_list!` and `mirror_enum!` do.
macro_rules! numbered_enum {
    ($(#[$m:meta])* $vis:vis enum $name:ident : $int:ty { $($v:ident,)* }) => {
        $(#[$m])*
        #[repr(C)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        $vis enum $name { $($v,)* }

        impl TryFrom<$int> for $name {
            type Error = Status;
            fn try_from(v: $int) -> Result<Self, Self::Error> {
                $(if v == $name::$v as $int { return Ok($name::$v); })*
                Err(Status::Invalid)
            }
        }
    };
}

numbered_enum! {
    /// System-call numbers (the order is the number).
    pub enum Syscall: u8 {
        Exit,
        GetProcessHandle,
        GetDeviceHandle,
        Yield,
        Sleep,
        Start,
        MapDev,
        MapShm,
        UnmapDev,
        UnmapShm,
        SHMSetCredential,
        SendIPC,
        SendSignal,
        WaitForEvent,
        PmManage,
        PmSetClock,
        Log,
        Alarm,
        GetRandom,
        GetCycle,
        GpioGet,
        GpioSet,
        GpioReset,
        GpioToggle,
        GpioConfigure,
        IrqAcknowledge,
        IrqEnable,
        IrqDisable,
        GetShmHandle,
        GetDmaStreamHandle,
        DmaStartStream,
        DmaSuspendStream,
        DmaGetStreamStatus,
        ShmGetInfos,
        DmaAssignStream,
        DmaUnassignStream,
        DmaGetStreamInfo,
        DmaResumeStream,
        AutotestSetCapa,
        AutotestClearCapa,
        HasRespawned,
    }
}

/// Result of every system call. The kernel-internal NON_SENSE is never delivered.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Done.
    Ok,
    /// A parameter is not valid.
    Invalid,
    /// Not allowed for the caller.
    Denied,
    /// No such resource.
    NoEntity,
    /// The resource's state does not allow the call.
    Busy,
    /// Already mapped.
    AlreadyMapped,
    /// Critical (security-related) event.
    Critical,
    /// Timed out (the normal end of a sleep).
    Timeout,
    /// Not there yet: try again.
    Again,
    /// Interrupted.
    Intr,
    /// Would deadlock.
    Deadlk,
}

/// A result word as the gate returns it. Values above DEADLK never reach a task (the
/// library does not return them); one here is a broken invariant.
impl From<u32> for Status {
    fn from(v: u32) -> Status {
        match v {
            0 => Status::Ok,
            1 => Status::Invalid,
            2 => Status::Denied,
            3 => Status::NoEntity,
            4 => Status::Busy,
            5 => Status::AlreadyMapped,
            6 => Status::Critical,
            7 => Status::Timeout,
            8 => Status::Again,
            9 => Status::Intr,
            10 => Status::Deadlk,
            _ => panic!("sentry-uapi: status {} out of the ABI", v),
        }
    }
}

/// The register word of a value-carrying enum (its discriminant).
macro_rules! into_word {
    ($($t:ty),*) => {$(
        impl From<$t> for u32 {
            fn from(v: $t) -> u32 {
                v as u32
            }
        }
    )*};
}

into_word!(EraseType, EraseMode, AlarmFlag, SHMPermission, SleepMode, CPUSleep);

/// Label of a task, fixed at build time.
pub type TaskLabel = u32;
/// Label of a shared memory.
pub type ShmLabel = u32;
/// Label of a DMA stream.
pub type StreamLabel = u32;
/// Label of a device.
pub type DeviceLabel = u32;
/// Handle of a device (forged by the kernel).
pub type DeviceHandle = u32;
/// Handle of a task job (changes at each respawn).
pub type TaskHandle = u32;
/// Handle of a shared memory.
pub type ShmHandle = u32;
/// Handle of a DMA stream.
pub type StreamHandle = u32;

/// Event kinds: the bits of a wait mask and the type of an event header.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventType {
    None = 0,
    Ipc = 1,
    Signal = 2,
    Irq = 4,
    Dma = 8,
    All = 15,
}

/// A set of EventType bits, as the kernel takes it.
pub type EventList = u8;

impl From<EventType> for u8 {
    fn from(e: EventType) -> u8 {
        e as u8
    }
}

/// An unknown value reads as None.
impl From<u8> for EventType {
    fn from(v: u8) -> EventType {
        [EventType::Ipc, EventType::Signal, EventType::Irq, EventType::Dma, EventType::All]
            .into_iter()
            .find(|e| *e as u8 == v)
            .unwrap_or(EventType::None)
    }
}

/// Pattern for erasing the exchange area (no system call uses it).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EraseType {
    Zeroify = 0x5a,
    Random = 0xa5,
}

/// Who erases the exchange area (no system call uses it).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EraseMode {
    UserErase = 0x72,
    KernelErase = 0x27,
}

/// Flag of the alarm call.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AlarmFlag {
    AlarmStart,
    AlarmStartPeriodic,
    AlarmStop,
}

/// Shared-memory permission bits.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SHMPermission {
    Map = 0x1,
    Read = 0x2,
    Write = 0x4,
    Transfer = 0x8,
}

/// Sentry signals. 13 to 31 exist only in autotest builds.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signal {
    Abort = 1,
    Alarm,
    Bus,
    Cont,
    Ill,
    Io,
    Pipe,
    Poll,
    Term,
    Trap,
    Usr1,
    Usr2,
    #[cfg(CONFIG_BUILD_TARGET_AUTOTEST)]
    PanicUserHardFault,
    #[cfg(CONFIG_BUILD_TARGET_AUTOTEST)]
    PanicKernelHardFault,
    #[cfg(CONFIG_BUILD_TARGET_AUTOTEST)]
    PanicUserBusFault,
    #[cfg(CONFIG_BUILD_TARGET_AUTOTEST)]
    PanicKernelBusFault,
    #[cfg(CONFIG_BUILD_TARGET_AUTOTEST)]
    PanicUserUsageFault,
    #[cfg(CONFIG_BUILD_TARGET_AUTOTEST)]
    PanicKernelUsageFault,
    #[cfg(CONFIG_BUILD_TARGET_AUTOTEST)]
    PanicUserMemAccess,
    #[cfg(CONFIG_BUILD_TARGET_AUTOTEST)]
    PanicKernelMemAccess,
    #[cfg(CONFIG_BUILD_TARGET_AUTOTEST)]
    PanicKernelInvalidUserspaceInput,
    #[cfg(CONFIG_BUILD_TARGET_AUTOTEST)]
    PanicKernelShorterKBuffersConfig,
    #[cfg(CONFIG_BUILD_TARGET_AUTOTEST)]
    PanicKernelInvalidManagerState,
    #[cfg(CONFIG_BUILD_TARGET_AUTOTEST)]
    PanicKernelInvalidManagerResponse,
    #[cfg(CONFIG_BUILD_TARGET_AUTOTEST)]
    PanicKernelTimeout,
    #[cfg(CONFIG_BUILD_TARGET_AUTOTEST)]
    PanicKernelBadCFICalculation,
    #[cfg(CONFIG_BUILD_TARGET_AUTOTEST)]
    PanicHardwareInvalidState,
    #[cfg(CONFIG_BUILD_TARGET_AUTOTEST)]
    PanicHardwareUnexpectedModification,
    #[cfg(CONFIG_BUILD_TARGET_AUTOTEST)]
    AutotestDone,
    #[cfg(CONFIG_BUILD_TARGET_AUTOTEST)]
    AutotestFailed,
    #[cfg(CONFIG_BUILD_TARGET_AUTOTEST)]
    AutotestTimedOut,
}

/// Duration of a sleep.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SleepDuration {
    D1ms,
    D2ms,
    D5ms,
    D10ms,
    D20ms,
    D50ms,
    /// A number of milliseconds (> 0).
    ArbitraryMs(u32),
}

/// Milliseconds of a duration.
impl From<SleepDuration> for u32 {
    fn from(d: SleepDuration) -> u32 {
        match d {
            SleepDuration::D1ms => 1,
            SleepDuration::D2ms => 2,
            SleepDuration::D5ms => 5,
            SleepDuration::D10ms => 10,
            SleepDuration::D20ms => 20,
            SleepDuration::D50ms => 50,
            SleepDuration::ArbitraryMs(v) => v,
        }
    }
}

impl SleepDuration {
    /// The C header's tag of this duration (SLEEP_DURATION_*).
    pub(crate) fn c_tag(self) -> u32 {
        match self {
            SleepDuration::D1ms => 0,
            SleepDuration::D2ms => 1,
            SleepDuration::D5ms => 2,
            SleepDuration::D10ms => 3,
            SleepDuration::D20ms => 4,
            SleepDuration::D50ms => 5,
            SleepDuration::ArbitraryMs(_) => 6,
        }
    }
}

/// Sleep mode.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SleepMode {
    /// Events wake the job.
    Shallow,
    /// Nothing wakes the job before the end.
    Deep,
}

impl TryFrom<u32> for SleepMode {
    type Error = Status;
    fn try_from(v: u32) -> Result<SleepMode, Status> {
        match v {
            0 => Ok(SleepMode::Shallow),
            1 => Ok(SleepMode::Deep),
            _ => Err(Status::Invalid),
        }
    }
}

/// Power command of pm_manage.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CPUSleep {
    WaitForInterrupt,
    WaitForEvent,
    ForbidSleep,
    AllowSleep,
}

impl TryFrom<u32> for CPUSleep {
    type Error = Status;
    fn try_from(v: u32) -> Result<CPUSleep, Status> {
        [CPUSleep::WaitForInterrupt, CPUSleep::WaitForEvent, CPUSleep::ForbidSleep, CPUSleep::AllowSleep]
            .into_iter()
            .find(|m| *m as u32 == v)
            .ok_or(Status::Invalid)
    }
}

numbered_enum! {
    /// Unit of get_cycle.
    pub enum Precision: u32 {
        Cycle,
        Nanoseconds,
        Microseconds,
        Milliseconds,
    }
}

/// Header that wait_for_event writes at offset 0 of the exchange area.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExchangeHeader {
    pub event: u8,
    pub length: u8,
    pub magic: u16,
    pub peer: u32,
}

impl ExchangeHeader {
    /// The kernel's magic is there.
    pub fn is_valid(self) -> bool {
        self.magic == 0x4242
    }
}

/// An event read with copy_from_kernel: its header and a buffer for its payload.
#[derive(Debug)]
pub struct Event<'a> {
    pub header: ExchangeHeader,
    pub data: &'a mut [u8],
}

/// Device description records (no system call returns them).
pub mod dev {
    /// One interrupt line.
    #[repr(C)]
    #[derive(Clone, Copy, Debug)]
    pub struct InterruptInfo {
        pub it_num: u16,
        pub it_controler: u8,
    }

    /// One pin configuration; `pupdr` is 32 bits as in the C header (device.h).
    #[repr(C)]
    #[derive(Clone, Copy, Debug)]
    pub struct IoInfo {
        pub port: u8,
        pub pin: u8,
        pub mode: u8,
        pub af: u8,
        pub ppull: u8,
        pub speed: u8,
        pub pupdr: u32,
    }

    /// A device as tasks see it; `id` is the 32-bit label of the C header.
    #[repr(C)]
    #[derive(Clone, Copy, Debug)]
    pub struct DevInfo {
        pub id: u32,
        pub mappable: bool,
        pub baseaddr: usize,
        pub size: usize,
        pub num_interrupt: u8,
        pub its: [InterruptInfo; 8],
        pub num_ios: u8,
        pub ios: [IoInfo; 8],
    }
}

/// Shared-memory records.
pub mod shm {
    /// What shm_get_infos writes into the exchange area (shm_infos_t).
    #[repr(C)]
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct ShmInfo {
        pub handle: crate::systypes::ShmHandle,
        pub label: u32,
        pub base: usize,
        pub len: usize,
        pub perms: u32,
    }
}

/// DMA types.
pub mod dma {
    use crate::systypes::Status;

    /// Declares an enum of explicit values and, after `: $int`, `TryFrom<$int>` (INVALID for
    /// any other value).
    macro_rules! valued_enum {
        ($(#[$m:meta])* $name:ident : $int:ty { $($v:ident = $x:expr,)* }) => {
            valued_enum! { $(#[$m])* $name { $($v = $x,)* } }
            impl TryFrom<$int> for $name {
                type Error = Status;
                fn try_from(v: $int) -> Result<$name, Status> {
                    $(if v == $x { return Ok($name::$v); })*
                    Err(Status::Invalid)
                }
            }
        };
        ($(#[$m:meta])* $name:ident { $($v:ident = $x:expr,)* }) => {
            $(#[$m])*
            #[derive(Clone, Copy, Debug, PartialEq, Eq)]
            pub enum $name { $($v = $x,)* }
        };
    }

    valued_enum! {
        /// Interrupt bits of a stream.
        GpdmaChanInt: u8 { TransferComplete = 1, HalfTransfer = 2, DmaError = 4, }
    }
    valued_enum! {
        /// Direction of a transfer.
        GpdmaTransferType: u16 {
            MemoryToDevice = 0, DeviceToMemory = 1, MemoryToMemory = 2, DeviceToDevice = 3,
        }
    }
    valued_enum! {
        /// Address increment of a transfer.
        GpdmaTransferMode { IncrementNone = 0, IncrementSrc = 1, IncrementDest = 2, }
    }
    valued_enum! {
        /// Beat length.
        GpdmaBeatLen: u8 { Byte = 0, Halfword = 1, Word = 2, }
    }
    valued_enum! {
        /// Priority of a stream.
        GpdmaPriority: u8 { Low = 0, Medium = 1, High = 2, VeryHigh = 3, }
    }
    valued_enum! {
        /// State of a channel, as a DMA event carries it.
        GpdmaChanState {
            Idle = 1, Running = 2, Aborted = 3, Suspended = 4, TransmissionFailure = 5,
            ConfigurationFailure = 6, Overrun = 7, TransferComplete = 8, HalfTransfer = 9,
        }
    }

    /// What dma_get_stream_info writes into the exchange area (gpdma_stream_cfg_t).
    #[repr(C)]
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct GpdmaStreamConfig {
        pub channel: u16,
        pub stream: u16,
        pub controller: u16,
        pub transfer_type: u16,
        pub source: usize,
        pub dest: usize,
        pub transfer_len: usize,
        pub circular_source: bool,
        pub circular_dest: bool,
        pub interrupts: u8,
        pub is_triggered: bool,
        pub trigger: u8,
        pub priority: u8,
        pub transfer_mode: u8,
        pub src_beat_len: u8,
        pub dest_beat_len: u8,
    }
}

#[cfg(test)]
mod tests {
    use super::dma::*;
    use super::*;
    use core::mem::size_of;

    include!(concat!(env!("OUT_DIR"), "/c_values.rs"));

    /// Every Rust value with the C name it mirrors.
    fn rust_values() -> Vec<(String, i64)> {
        let mut v: Vec<(String, i64)> = Vec::new();
        let mut add = |name: &str, value: i64| v.push((name.to_string(), value));
        let statuses = [
            ("OK", Status::Ok), ("INVALID", Status::Invalid), ("DENIED", Status::Denied),
            ("NO_ENTITY", Status::NoEntity), ("BUSY", Status::Busy),
            ("ALREADY_MAPPED", Status::AlreadyMapped), ("CRITICAL", Status::Critical),
            ("TIMEOUT", Status::Timeout), ("AGAIN", Status::Again), ("INTR", Status::Intr),
            ("DEADLK", Status::Deadlk),
        ];
        for (n, s) in statuses {
            add(&format!("STATUS_{}", n), s as i64);
            assert_eq!(Status::from(s as u32), s);
        }
        let calls = [
            ("EXIT", Syscall::Exit), ("GET_PROCESS_HANDLE", Syscall::GetProcessHandle),
            ("GET_DEVICE_HANDLE", Syscall::GetDeviceHandle), ("YIELD", Syscall::Yield),
            ("SLEEP", Syscall::Sleep), ("START", Syscall::Start), ("MAP_DEV", Syscall::MapDev),
            ("MAP_SHM", Syscall::MapShm), ("UNMAP_DEV", Syscall::UnmapDev),
            ("UNMAP_SHM", Syscall::UnmapShm), ("SHM_SET_CREDENTIAL", Syscall::SHMSetCredential),
            ("SEND_IPC", Syscall::SendIPC), ("SEND_SIGNAL", Syscall::SendSignal),
            ("WAIT_FOR_EVENT", Syscall::WaitForEvent), ("PM_MANAGE", Syscall::PmManage),
            ("PM_SET_CLOCK", Syscall::PmSetClock), ("LOG", Syscall::Log),
            ("ALARM", Syscall::Alarm), ("GET_RANDOM", Syscall::GetRandom),
            ("GET_CYCLE", Syscall::GetCycle), ("GPIO_GET", Syscall::GpioGet),
            ("GPIO_SET", Syscall::GpioSet), ("GPIO_RESET", Syscall::GpioReset),
            ("GPIO_TOGGLE", Syscall::GpioToggle), ("GPIO_CONFIGURE", Syscall::GpioConfigure),
            ("IRQ_ACKNOWLEDGE", Syscall::IrqAcknowledge), ("IRQ_ENABLE", Syscall::IrqEnable),
            ("IRQ_DISABLE", Syscall::IrqDisable), ("GET_SHM_HANDLE", Syscall::GetShmHandle),
            ("GET_DMA_STREAM_HANDLE", Syscall::GetDmaStreamHandle),
            ("DMA_START_STREAM", Syscall::DmaStartStream),
            ("DMA_SUSPEND_STREAM", Syscall::DmaSuspendStream),
            ("DMA_GET_STREAM_STATUS", Syscall::DmaGetStreamStatus),
            ("SHM_GET_INFOS", Syscall::ShmGetInfos),
            ("DMA_ASSIGN_STREAM", Syscall::DmaAssignStream),
            ("DMA_UNASSIGN_STREAM", Syscall::DmaUnassignStream),
            ("DMA_GET_STREAM_INFO", Syscall::DmaGetStreamInfo),
            ("DMA_RESUME_STREAM", Syscall::DmaResumeStream),
            ("AUTOTEST_SET_CAPA", Syscall::AutotestSetCapa),
            ("AUTOTEST_CLEAR_CAPA", Syscall::AutotestClearCapa),
            ("HAS_RESPAWNED", Syscall::HasRespawned),
        ];
        for (n, s) in calls {
            add(&format!("SYSCALL_{}", n), s as i64);
            assert_eq!(Syscall::try_from(s as u8), Ok(s));
        }
        assert_eq!(Syscall::try_from(41u8), Err(Status::Invalid));
        for (n, e) in [("NONE", EventType::None), ("IPC", EventType::Ipc),
                       ("SIGNAL", EventType::Signal), ("IRQ", EventType::Irq),
                       ("DMA", EventType::Dma), ("ALL", EventType::All)] {
            add(&format!("EVENT_TYPE_{}", n), u8::from(e) as i64);
            assert_eq!(EventType::from(e as u8), e);
        }
        add("SVC_ERASETYPE_ZEROFIY", u32::from(EraseType::Zeroify) as i64);
        add("SVC_ERASETYPE_RANDOM", u32::from(EraseType::Random) as i64);
        add("SVC_ERASEMODE_USER", u32::from(EraseMode::UserErase) as i64);
        add("SVC_ERASEMODE_KERNEL", u32::from(EraseMode::KernelErase) as i64);
        add("O_ALRM_START", u32::from(AlarmFlag::AlarmStart) as i64);
        add("O_ALRM_START_PERIODIC", u32::from(AlarmFlag::AlarmStartPeriodic) as i64);
        add("O_ALRM_STOP", u32::from(AlarmFlag::AlarmStop) as i64);
        add("SHM_PERMISSION_MAP", u32::from(SHMPermission::Map) as i64);
        add("SHM_PERMISSION_READ", u32::from(SHMPermission::Read) as i64);
        add("SHM_PERMISSION_WRITE", u32::from(SHMPermission::Write) as i64);
        add("SHM_PERMISSION_TRANSFER", u32::from(SHMPermission::Transfer) as i64);
        for (n, s) in [("ABORT", Signal::Abort), ("ALARM", Signal::Alarm), ("BUS", Signal::Bus),
                       ("CONT", Signal::Cont), ("ILL", Signal::Ill), ("IO", Signal::Io),
                       ("PIPE", Signal::Pipe), ("POLL", Signal::Poll), ("TERM", Signal::Term),
                       ("TRAP", Signal::Trap), ("USR1", Signal::Usr1), ("USR2", Signal::Usr2)] {
            add(&format!("SIGNAL_{}", n), s as i64);
        }
        for (n, d) in [("D1MS", SleepDuration::D1ms), ("D2MS", SleepDuration::D2ms),
                       ("D5MS", SleepDuration::D5ms), ("D10MS", SleepDuration::D10ms),
                       ("D20MS", SleepDuration::D20ms), ("D50MS", SleepDuration::D50ms),
                       ("ARBITRARY_MS", SleepDuration::ArbitraryMs(3))] {
            add(&format!("SLEEP_DURATION_{}", n), d.c_tag() as i64);
        }
        add("SLEEP_MODE_SHALLOW", u32::from(SleepMode::Shallow) as i64);
        add("SLEEP_MODE_DEEP", u32::from(SleepMode::Deep) as i64);
        for (n, m) in [("WAIT_FOR_INTERRUPT", CPUSleep::WaitForInterrupt),
                       ("WAIT_FOR_EVENT", CPUSleep::WaitForEvent),
                       ("FORBID_SLEEP", CPUSleep::ForbidSleep),
                       ("ALLOW_SLEEP", CPUSleep::AllowSleep)] {
            add(&format!("CPU_SLEEP_{}", n), u32::from(m) as i64);
            assert_eq!(CPUSleep::try_from(m as u32), Ok(m));
        }
        for (n, p) in [("CYCLE", Precision::Cycle), ("NANOSECONDS", Precision::Nanoseconds),
                       ("MICROSECONDS", Precision::Microseconds),
                       ("MILLISECONDS", Precision::Milliseconds)] {
            add(&format!("PRECISION_{}", n), p as i64);
            assert_eq!(Precision::try_from(p as u32), Ok(p));
        }
        add("GPDMA_INT_TC", GpdmaChanInt::TransferComplete as i64);
        add("GPDMA_INT_HT", GpdmaChanInt::HalfTransfer as i64);
        add("GPDMA_INT_ERROR", GpdmaChanInt::DmaError as i64);
        add("GPDMA_TRANSFER_MEMORY_TO_DEVICE", GpdmaTransferType::MemoryToDevice as i64);
        add("GPDMA_TRANSFER_DEVICE_TO_MEMORY", GpdmaTransferType::DeviceToMemory as i64);
        add("GPDMA_TRANSFER_MEMORY_TO_MEMORY", GpdmaTransferType::MemoryToMemory as i64);
        add("GPDMA_TRANSFER_DEVICE_TO_DEVICE", GpdmaTransferType::DeviceToDevice as i64);
        add("GPDMA_TRANSFER_MODE_INCREMENT_NONE", GpdmaTransferMode::IncrementNone as i64);
        add("GPDMA_TRANSFER_MODE_INCREMENT_SRC", GpdmaTransferMode::IncrementSrc as i64);
        add("GPDMA_TRANSFER_MODE_INCREMENT_DEST", GpdmaTransferMode::IncrementDest as i64);
        assert_eq!(GpdmaBeatLen::try_from(2u8), Ok(GpdmaBeatLen::Word));
        assert_eq!(GpdmaBeatLen::try_from(3u8), Err(Status::Invalid));
        assert_eq!(GpdmaTransferType::try_from(3u16), Ok(GpdmaTransferType::DeviceToDevice));
        add("GPDMA_BEAT_LEN_BYTE", GpdmaBeatLen::Byte as i64);
        add("GPDMA_BEAT_LEN_HALFWORD", GpdmaBeatLen::Halfword as i64);
        add("GPDMA_BEAT_LEN_WORD", GpdmaBeatLen::Word as i64);
        add("GPDMA_PRIORITY_LOW", GpdmaPriority::Low as i64);
        add("GPDMA_PRIORITY_MEDIUM", GpdmaPriority::Medium as i64);
        add("GPDMA_PRIORITY_HIGH", GpdmaPriority::High as i64);
        add("GPDMA_PRIORITY_VERY_HIGH", GpdmaPriority::VeryHigh as i64);
        for (n, s) in [("IDLE", GpdmaChanState::Idle), ("RUNNING", GpdmaChanState::Running),
                       ("ABORTED", GpdmaChanState::Aborted),
                       ("SUSPENDED", GpdmaChanState::Suspended),
                       ("TRANSMISSION_FAILURE", GpdmaChanState::TransmissionFailure),
                       ("CONFIGURATION_FAILURE", GpdmaChanState::ConfigurationFailure),
                       ("OVERRUN", GpdmaChanState::Overrun),
                       ("TRANSFER_COMPLETE", GpdmaChanState::TransferComplete),
                       ("HALF_TRANSFER", GpdmaChanState::HalfTransfer)] {
            add(&format!("GPDMA_STATE_{}", n), s as i64);
        }
        v
    }

    /// Size and field offsets of the records the kernel writes, under their C names.
    fn rust_layouts() -> Vec<(String, i64)> {
        let mut v = Vec::new();
        macro_rules! record {
            ($cname:literal, $t:ty, $($cf:literal => $f:ident),*) => {{
                v.push((format!("sizeof({})", $cname), size_of::<$t>() as i64));
                let x = core::mem::MaybeUninit::<$t>::uninit();
                let base = x.as_ptr() as usize;
                $(
                    let off = unsafe { core::ptr::addr_of!((*x.as_ptr()).$f) } as usize - base;
                    v.push((format!("offsetof({}, {})", $cname, $cf), off as i64));
                )*
            }};
        }
        record!("exchange_event_t", ExchangeHeader,
                "type" => event, "length" => length, "magic" => magic, "source" => peer);
        record!("shm_infos_t", shm::ShmInfo, "handle" => handle, "label" => label,
                "base" => base, "len" => len, "perms" => perms);
        record!("gpdma_stream_cfg_t", GpdmaStreamConfig, "channel" => channel,
                "stream" => stream, "controller" => controller,
                "transfer_type" => transfer_type, "source" => source, "dest" => dest,
                "transfer_len" => transfer_len, "circular_source" => circular_source,
                "circular_dest" => circular_dest, "interrupts" => interrupts,
                "is_triggered" => is_triggered, "trigger" => trigger,
                "priority" => priority, "transfer_mode" => transfer_mode,
                "src_beat_len" => src_beat_len, "dest_beat_len" => dest_beat_len);
        v
    }

    #[test]
    fn systypes_match_c_headers() {
        let c = C_VALUES.unwrap_or_else(|why| {
            panic!("build.rs could not read the C headers' values: {}", why)
        });
        let mut rust = rust_values();
        rust.extend(rust_layouts());
        assert_eq!(rust.len(), c.len(), "as many Rust values as C names");
        for (name, value) in &rust {
            let cv = c.iter().find(|(n, _)| n == name).map(|(_, v)| *v);
            assert_eq!(cv, Some(*value), "{} (Rust) against the C headers", name);
        }
    }
}
