//! WAL checkpoints on a thread of their own, not in the writer's commits.
//!
//! SQLite's default copies the WAL back into the database file inside whichever commit takes
//! the WAL past 1,000 pages: an import of 5,000 assets spent about 10 of its 110 ms there,
//! on the one writer every other write waits for (BENCHMARKS.md). Here a commit only nudges
//! this thread, which runs a passive checkpoint on its own connection: it copies what no
//! reader still needs while the writer goes on, and never waits for either. The writer keeps
//! an automatic checkpoint at a much larger size as a backstop, should this thread fall
//! behind.

use crate::StoreError;
use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, TrySendError, sync_channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The writer's own automatic checkpoint, in pages (64 MiB of 4 KiB pages): reached only if
/// this thread cannot keep up.
pub(super) const WRITER_BACKSTOP_PAGES: &str = "16384";

/// At most one checkpoint in this interval: a burst of small commits is copied back once.
const PAUSE: Duration = Duration::from_millis(200);

pub(super) struct Checkpointer {
    nudge: Mutex<Option<SyncSender<()>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl Checkpointer {
    pub(super) fn start(path: &Path) -> Result<Self, StoreError> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI,
        )
        .map_err(|e| StoreError::Unavailable(format!("cannot open {}: {e}", path.display())))?;
        conn.busy_timeout(Duration::from_secs(1))?;
        let (nudge, nudged) = sync_channel(1);
        let thread = std::thread::Builder::new()
            .name("sqlite-checkpoint".into())
            .spawn(move || run(&conn, &nudged))
            .map_err(|e| StoreError::Unavailable(format!("cannot start the checkpoint thread: {e}")))?;
        Ok(Self {
            nudge: Mutex::new(Some(nudge)),
            thread: Mutex::new(Some(thread)),
        })
    }

    /// A commit happened: checkpoint soon. Never blocks (one pending nudge is enough).
    pub(super) fn nudge(&self) {
        if let Some(tx) = self.nudge.lock().unwrap_or_else(|p| p.into_inner()).as_ref() {
            match tx.try_send(()) {
                Ok(()) | Err(TrySendError::Full(())) | Err(TrySendError::Disconnected(())) => {}
            }
        }
    }

    /// Stops the thread after its last checkpoint.
    pub(super) fn stop(&self) {
        self.nudge.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(thread) = self.thread.lock().unwrap_or_else(|p| p.into_inner()).take() {
            let _ = thread.join();
        }
    }
}

/// Checkpoints after each nudge, then lets commits gather for `PAUSE` before the next;
/// ends when the store closes (or is dropped).
fn run(conn: &Connection, nudged: &Receiver<()>) {
    let mut pending = nudged.recv().is_ok();
    while pending {
        // A busy database (another checkpoint, a restore) is fine: the next nudge retries.
        if let Err(e) = conn.query_row("pragma wal_checkpoint(passive)", [], |_| Ok(())) {
            tracing::debug!(error = %e, "passive checkpoint did not run");
        }
        let until = Instant::now() + PAUSE;
        pending = false;
        loop {
            match nudged.recv_timeout(until.saturating_duration_since(Instant::now())) {
                Ok(()) => pending = true,
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        if !pending {
            pending = nudged.recv().is_ok();
        }
    }
}
