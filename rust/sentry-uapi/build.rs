//! build.rs: find libsentry-uapi and its headers, and generate two files in OUT_DIR.
//!
//! Where: the environment variables SENTRY_UAPI_CFLAGS and SENTRY_UAPI_LIBS (as pkg-config
//! prints them), else `pkg-config --cflags/--libs sentry-uapi`, else the source tree this
//! crate sits in (../../uapi/include). The runtime is linked statically (libsentry-uapi.a,
//! as the C tasks' pkg-config line does) by the `#[link]` attribute of src/gate.rs; this
//! script adds the -L directories and libseccomp, which the runtime needs.
//!
//! Generated: `platform.rs` (the exchange-area length of the headers' platform.h) and
//! `c_values.rs` (every enumerator of the C headers that systypes mirrors, printed by a C
//! program compiled against the headers: the unit test `systypes_match_c_headers` compares
//! them with the Rust values, so no value is written twice by hand).
use std::env;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The C enumerators systypes mirrors (names only: the values come from the headers).
const C_NAMES: &[&str] = &[
    "STATUS_OK", "STATUS_INVALID", "STATUS_DENIED", "STATUS_NO_ENTITY", "STATUS_BUSY",
    "STATUS_ALREADY_MAPPED", "STATUS_CRITICAL", "STATUS_TIMEOUT", "STATUS_AGAIN",
    "STATUS_INTR", "STATUS_DEADLK",
    "SYSCALL_EXIT", "SYSCALL_GET_PROCESS_HANDLE", "SYSCALL_GET_DEVICE_HANDLE", "SYSCALL_YIELD",
    "SYSCALL_SLEEP", "SYSCALL_START", "SYSCALL_MAP_DEV", "SYSCALL_MAP_SHM", "SYSCALL_UNMAP_DEV",
    "SYSCALL_UNMAP_SHM", "SYSCALL_SHM_SET_CREDENTIAL", "SYSCALL_SEND_IPC",
    "SYSCALL_SEND_SIGNAL", "SYSCALL_WAIT_FOR_EVENT", "SYSCALL_PM_MANAGE",
    "SYSCALL_PM_SET_CLOCK", "SYSCALL_LOG", "SYSCALL_ALARM", "SYSCALL_GET_RANDOM",
    "SYSCALL_GET_CYCLE", "SYSCALL_GPIO_GET", "SYSCALL_GPIO_SET", "SYSCALL_GPIO_RESET",
    "SYSCALL_GPIO_TOGGLE", "SYSCALL_GPIO_CONFIGURE", "SYSCALL_IRQ_ACKNOWLEDGE",
    "SYSCALL_IRQ_ENABLE", "SYSCALL_IRQ_DISABLE", "SYSCALL_GET_SHM_HANDLE",
    "SYSCALL_GET_DMA_STREAM_HANDLE", "SYSCALL_DMA_START_STREAM", "SYSCALL_DMA_SUSPEND_STREAM",
    "SYSCALL_DMA_GET_STREAM_STATUS", "SYSCALL_SHM_GET_INFOS", "SYSCALL_DMA_ASSIGN_STREAM",
    "SYSCALL_DMA_UNASSIGN_STREAM", "SYSCALL_DMA_GET_STREAM_INFO", "SYSCALL_DMA_RESUME_STREAM",
    "SYSCALL_AUTOTEST_SET_CAPA", "SYSCALL_AUTOTEST_CLEAR_CAPA", "SYSCALL_HAS_RESPAWNED",
    "EVENT_TYPE_NONE", "EVENT_TYPE_IPC", "EVENT_TYPE_SIGNAL", "EVENT_TYPE_IRQ", "EVENT_TYPE_DMA",
    "EVENT_TYPE_ALL",
    "SVC_ERASETYPE_ZEROFIY", "SVC_ERASETYPE_RANDOM", "SVC_ERASEMODE_USER",
    "SVC_ERASEMODE_KERNEL",
    "O_ALRM_START", "O_ALRM_START_PERIODIC", "O_ALRM_STOP",
    "SHM_PERMISSION_MAP", "SHM_PERMISSION_READ", "SHM_PERMISSION_WRITE",
    "SHM_PERMISSION_TRANSFER",
    "SIGNAL_ABORT", "SIGNAL_ALARM", "SIGNAL_BUS", "SIGNAL_CONT", "SIGNAL_ILL", "SIGNAL_IO",
    "SIGNAL_PIPE", "SIGNAL_POLL", "SIGNAL_TERM", "SIGNAL_TRAP", "SIGNAL_USR1", "SIGNAL_USR2",
    "SLEEP_DURATION_D1MS", "SLEEP_DURATION_D2MS", "SLEEP_DURATION_D5MS",
    "SLEEP_DURATION_D10MS", "SLEEP_DURATION_D20MS", "SLEEP_DURATION_D50MS",
    "SLEEP_DURATION_ARBITRARY_MS",
    "SLEEP_MODE_SHALLOW", "SLEEP_MODE_DEEP",
    "CPU_SLEEP_WAIT_FOR_INTERRUPT", "CPU_SLEEP_WAIT_FOR_EVENT", "CPU_SLEEP_FORBID_SLEEP",
    "CPU_SLEEP_ALLOW_SLEEP",
    "PRECISION_CYCLE", "PRECISION_NANOSECONDS", "PRECISION_MICROSECONDS",
    "PRECISION_MILLISECONDS",
    "GPDMA_INT_TC", "GPDMA_INT_HT", "GPDMA_INT_ERROR",
    "GPDMA_TRANSFER_MEMORY_TO_DEVICE", "GPDMA_TRANSFER_DEVICE_TO_MEMORY",
    "GPDMA_TRANSFER_MEMORY_TO_MEMORY", "GPDMA_TRANSFER_DEVICE_TO_DEVICE",
    "GPDMA_TRANSFER_MODE_INCREMENT_NONE", "GPDMA_TRANSFER_MODE_INCREMENT_SRC",
    "GPDMA_TRANSFER_MODE_INCREMENT_DEST",
    "GPDMA_BEAT_LEN_BYTE", "GPDMA_BEAT_LEN_HALFWORD", "GPDMA_BEAT_LEN_WORD",
    "GPDMA_PRIORITY_LOW", "GPDMA_PRIORITY_MEDIUM", "GPDMA_PRIORITY_HIGH",
    "GPDMA_PRIORITY_VERY_HIGH",
    "GPDMA_STATE_IDLE", "GPDMA_STATE_RUNNING", "GPDMA_STATE_ABORTED", "GPDMA_STATE_SUSPENDED",
    "GPDMA_STATE_TRANSMISSION_FAILURE", "GPDMA_STATE_CONFIGURATION_FAILURE",
    "GPDMA_STATE_OVERRUN", "GPDMA_STATE_TRANSFER_COMPLETE", "GPDMA_STATE_HALF_TRANSFER",
];

/// Record layouts the kernel writes into the exchange area: (type, fields).
const C_RECORDS: &[(&str, &[&str])] = &[
    ("exchange_event_t", &["type", "length", "magic", "source"]),
    ("shm_infos_t", &["handle", "label", "base", "len", "perms"]),
    (
        "gpdma_stream_cfg_t",
        &[
            "channel", "stream", "controller", "transfer_type", "source", "dest",
            "transfer_len", "circular_source", "circular_dest", "interrupts", "is_triggered",
            "trigger", "priority", "transfer_mode", "src_beat_len", "dest_beat_len",
        ],
    ),
];

fn flags(var: &str, pkg_arg: &str) -> Option<String> {
    println!("cargo:rerun-if-env-changed={}", var);
    if let Ok(v) = env::var(var) {
        return Some(v);
    }
    let out = Command::new(env::var("PKG_CONFIG").unwrap_or_else(|_| "pkg-config".into()))
        .args([pkg_arg, "sentry-uapi"])
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn with_prefix(text: &str, prefix: &str) -> Vec<PathBuf> {
    text.split_whitespace()
        .filter_map(|w| w.strip_prefix(prefix))
        .map(PathBuf::from)
        .collect()
}

fn exchange_len(includes: &[PathBuf]) -> Option<usize> {
    for dir in includes {
        for cand in [dir.join("uapi/platform.h"), dir.join("platform.h")] {
            if let Ok(text) = fs::read_to_string(&cand) {
                println!("cargo:rerun-if-changed={}", cand.display());
                for line in text.lines() {
                    let mut words = line.split_whitespace();
                    if words.next() == Some("#define")
                        && words.next() == Some("SENTRY_SVCEXCHANGE_LEN")
                    {
                        let v: String = words
                            .collect::<String>()
                            .chars()
                            .filter(|c| c.is_ascii_digit())
                            .collect();
                        return v.parse().ok();
                    }
                }
            }
        }
    }
    None
}

/// Compile and run a C program that prints every name of C_NAMES and C_RECORDS with its
/// value, sizeof or offsetof; Err says why it could not.
fn c_values(includes: &[PathBuf], out: &Path) -> Result<String, String> {
    let mut src = String::from(
        "#include <stdio.h>\n#include <stddef.h>\n#include <uapi/uapi.h>\n#include <uapi/dma.h>\nint main(void)\n{\n",
    );
    for n in C_NAMES {
        src += &format!("\tprintf(\"%s %lld\\n\", \"{0}\", (long long){0});\n", n);
    }
    for (ty, fields) in C_RECORDS {
        src += &format!("\tprintf(\"sizeof({0}) %zu\\n\", sizeof({0}));\n", ty);
        for f in *fields {
            src += &format!(
                "\tprintf(\"offsetof({0}, {1}) %zu\\n\", offsetof({0}, {1}));\n",
                ty, f
            );
        }
    }
    src += "\treturn 0;\n}\n";
    let c_file = out.join("c_values.c");
    let exe = out.join("c_values");
    fs::write(&c_file, src).map_err(|e| e.to_string())?;
    let cc = env::var("CC").unwrap_or_else(|_| "cc".into());
    let mut cmd = Command::new(&cc);
    for dir in includes {
        cmd.arg(format!("-I{}", dir.display()));
    }
    let status = cmd
        .arg("-o")
        .arg(&exe)
        .arg(&c_file)
        .status()
        .map_err(|e| format!("{}: {}", cc, e))?;
    if !status.success() {
        return Err(format!("{} could not compile {}", cc, c_file.display()));
    }
    let run = Command::new(&exe).output().map_err(|e| e.to_string())?;
    if !run.status.success() {
        return Err(format!("{} failed", exe.display()));
    }
    Ok(String::from_utf8_lossy(&run.stdout).into_owned())
}

fn main() {
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rustc-check-cfg=cfg(CONFIG_BUILD_TARGET_AUTOTEST)");

    let mut includes = flags("SENTRY_UAPI_CFLAGS", "--cflags")
        .map(|f| with_prefix(&f, "-I"))
        .unwrap_or_default();
    let in_tree = manifest.join("../../uapi/include");
    if in_tree.join("uapi/uapi.h").exists() {
        includes.push(in_tree);
    }
    // The headers include each other as "uapi/x.h" or "x.h": add the parent of every
    // directory that holds uapi.h itself.
    let mut all = includes.clone();
    for dir in &includes {
        if dir.join("uapi.h").exists() {
            if let Some(p) = dir.parent() {
                all.push(p.to_path_buf());
            }
        }
    }
    if let Some(libs) = flags("SENTRY_UAPI_LIBS", "--libs") {
        for dir in with_prefix(&libs, "-L") {
            println!("cargo:rustc-link-search=native={}", dir.display());
            let archive = dir.join("libsentry-uapi.a");
            if archive.exists() {
                println!("cargo:rerun-if-changed={}", archive.display());
            }
        }
    }
    // The runtime's sandbox is built with libseccomp (the .pc's Requires).
    println!("cargo:rustc-link-lib=dylib=seccomp");

    let len = exchange_len(&all).unwrap_or_else(|| {
        println!("cargo:warning=sentry-uapi: platform.h not found, exchange area of 128 bytes");
        128
    });
    fs::write(
        out.join("platform.rs"),
        format!("/// SENTRY_SVCEXCHANGE_LEN of the C headers.\npub const EXCHANGE_AREA_LEN: usize = {};\n", len),
    )
    .unwrap();

    let table = match c_values(&all, &out) {
        Ok(text) => {
            let mut s = String::from("pub const C_VALUES: Result<&[(&str, i64)], &str> = Ok(&[\n");
            for line in text.lines() {
                if let Some((k, v)) = line.rsplit_once(' ') {
                    s += &format!("    ({:?}, {}),\n", k, v);
                }
            }
            s + "]);\n"
        }
        Err(why) => format!(
            "pub const C_VALUES: Result<&[(&str, i64)], &str> = Err({:?});\n",
            why
        ),
    };
    fs::write(out.join("c_values.rs"), table).unwrap();
}
