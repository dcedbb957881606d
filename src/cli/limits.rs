//! Limits that keep a command from starting what it cannot finish.
//!
//! - At most [`MAX_DRAWS`] draws and [`max_threads`] worker threads: usage
//!   errors (exit 2) when the arguments are parsed.
//! - Before a run creates its output directory, an [`Estimate`] of the files
//!   it writes and of the memory it keeps for exact quantiles. A run that would
//!   write more than [`DISK_LIMIT`], more than the free space where `--out`
//!   goes, or keep more than the memory available is refused (exit 2) with the
//!   estimate, the time one draw took times the draws, and how many draws would
//!   fit; `--yes` starts it anyway.

use super::BadInput;
use std::path::Path;
use std::time::{Duration, Instant};
use wijkimpact::output::{OutputFormat, YEARLY_CSV, YEARLY_PARQUET};
use wijkimpact::runner::{self, RunContext, RunOptions};

/// The most draws one command may ask for (a whole run, or all shards together).
pub const MAX_DRAWS: u64 = 10_000_000;

/// A run that would write more than this (bytes) needs `--yes`.
pub const DISK_LIMIT: u64 = 10_000_000_000;

/// Worker threads per core allowed: more than one per core only adds
/// overhead, but a few let a researcher check that results do not depend on
/// the thread count.
const THREADS_PER_CORE: usize = 4;

/// Bytes of a number in the per-draw CSV files (the shortest text that reads
/// back as the same `f64` is at most 24 bytes, typically 17–20).
const VALUE_BYTES: u64 = 20;

/// Bytes of a value in the Parquet tables before compression: a Float64 and
/// its rows' dictionary indices.
const PARQUET_VALUE_BYTES: u64 = 10;

/// Bytes of a Parquet file's schema, dictionaries and footer (an upper bound).
const PARQUET_FILE_BYTES: u64 = 64 * 1024;

/// Bytes of one statistic of `yearly.csv` (measured: 80 for W-city in the
/// earlier one-statistic-per-row layout; the tidy layout needs less, so this
/// is an upper bound).
const YEARLY_ROW_BYTES: u64 = 80;

/// Memory per business-case value and draw kept for exact quantiles: 8 bytes,
/// in vectors that grow by doubling.
const EXACT_BYTES: f64 = 12.0;

/// Cores this process may use (its CPU affinity, e.g. a Slurm allocation).
pub fn cores() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}

/// The most worker threads `--threads` accepts here.
pub fn max_threads() -> usize {
    THREADS_PER_CORE * cores()
}

/// `--draws`: a whole number from 1 to [`MAX_DRAWS`].
pub fn parse_draws(s: &str) -> Result<u64, String> {
    let n: u64 = s.trim().replace('_', "").parse().map_err(|_| format!("{s:?} is not a whole number of draws"))?;
    match n {
        0 => Err("give at least 1 draw".into()),
        n if n > MAX_DRAWS => Err(format!(
            "at most {} draws in one run (10,000 give a Monte Carlo standard error of 1 % of the sd)",
            thousands(MAX_DRAWS)
        )),
        n => Ok(n),
    }
}

/// `--threads`: 0 (every core) up to [`max_threads`].
pub fn parse_threads(s: &str) -> Result<usize, String> {
    let n: usize = s.trim().parse().map_err(|_| format!("{s:?} is not a whole number of threads"))?;
    let (max, cores) = (max_threads(), cores());
    if n > max {
        return Err(format!(
            "at most {max} threads here ({THREADS_PER_CORE} per core, {cores} cores available; more threads than \
             cores only add overhead); 0 uses every core"
        ));
    }
    Ok(n)
}

/// What a run will write and keep, estimated from the model before it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    /// Draws this process simulates (a shard's share of the run's draws).
    pub draws: u64,
    /// The big files: (name, bytes).
    pub files: Vec<(&'static str, u64)>,
    /// Bytes written per draw (the files that grow with the draws).
    pub disk_per_draw: f64,
    /// Bytes kept in memory per draw (values for exact quantiles).
    pub memory_per_draw: f64,
}

impl Estimate {
    /// The estimate of a run of `draws` draws of `ctx`'s model (`shard`:
    /// index and count, when the run is one shard).
    pub fn of(ctx: &RunContext<'_>, draws: u64, shard: Option<(u64, u64)>, format: OutputFormat) -> Self {
        let model = ctx.model;
        let (n_scen, n_slots, n_metrics) = (model.scenarios.len() as u64, ctx.n_area_slots() as u64, ctx.metrics.len());
        let cells = n_scen * n_slots * n_metrics as u64;
        let arm_cells = (n_scen + 1) * n_slots * wijkimpact::arms::ArmLayout::new(model).len() as u64;
        if let Some((index, count)) = shard {
            let mine = draws / count + u64::from(index < draws % count);
            // The shard file: per draw its number, parameters, every arm's
            // ledger, metrics, three counters and a checksum, 8 bytes each. That
            // is the uncompressed size, an upper bound: zstd makes the file
            // 4–5 times smaller (the arms share most of their ledgers).
            let ledger = (model.areas.len() * model.settings.horizon * ctx.measures.len()) as u64;
            let per_draw = 8 * (1 + model.params.slots as u64 + (n_scen + 1) * ledger + cells + 4);
            return Estimate {
                draws: mine,
                files: vec![(wijkimpact::output::shard::SHARD_PARQUET, per_draw * mine)],
                disk_per_draw: per_draw as f64,
                memory_per_draw: 0.0,
            };
        }
        let digits = 1 + draws.max(2).saturating_sub(1).ilog10() as u64;
        let len = |names: &mut dyn Iterator<Item = &str>| names.map(|n| n.len() as u64).sum::<u64>();
        let scen_chars = len(&mut model.scenarios.iter().map(|s| s.name.as_str()));
        let area_chars = len(&mut model.areas.iter().map(|a| a.name.as_str())) + "totaal".len() as u64;
        let metric_chars = len(&mut ctx.metrics.names.iter().map(String::as_str));
        // draws.csv: `draw,scenario,area,metric,value` for every cell.
        let labels = n_slots * n_metrics as u64 * scen_chars
            + n_scen * n_metrics as u64 * area_chars
            + n_scen * n_slots * metric_chars;
        let draws_row = cells * (digits + 5 + VALUE_BYTES) + labels;
        // parameters.csv: `draw,parameter,value` for every parameter slot.
        let slots = model.params.slot_names();
        let params_row =
            slots.len() as u64 * (digits + 3 + VALUE_BYTES) + slots.iter().map(|s| s.len() as u64).sum::<u64>();
        // yearly.csv: contrasts × areas × years × measures × statistics, whatever the draws.
        let measures = ctx.measures.len() + model.chains.iter().map(|c| c.states.len()).sum::<usize>();
        let yearly_rows = (1 + 2 * n_scen) * n_slots * model.settings.n_years() as u64 * measures as u64 * (3 + 5);
        let header = if format == OutputFormat::Parquet { PARQUET_FILE_BYTES } else { 0 };
        let (draws_row, params_row, yearly) = match format {
            OutputFormat::Csv => (draws_row, params_row, yearly_rows * YEARLY_ROW_BYTES),
            // Parquet: each value as an uncompressed Float64 with its dictionary
            // indices, an upper bound (zstd leaves 3–6 times less).
            OutputFormat::Parquet => (
                cells * PARQUET_VALUE_BYTES,
                slots.len() as u64 * PARQUET_VALUE_BYTES,
                yearly_rows * PARQUET_VALUE_BYTES,
            ),
        };
        Estimate {
            draws,
            files: vec![
                (format.draws_file(), header + draws_row * draws),
                (format.parameters_file(), header + params_row * draws),
                (format.yearly_file(), header + yearly),
            ],
            disk_per_draw: (draws_row + params_row) as f64,
            // The business-case metrics and the per-arm totals keep every draw.
            memory_per_draw: (cells + arm_cells) as f64 * EXACT_BYTES,
        }
    }

    /// Bytes of every file together.
    pub fn disk(&self) -> u64 {
        self.files.iter().map(|(_, b)| b).sum()
    }

    /// Bytes kept in memory for exact quantiles.
    pub fn memory(&self) -> u64 {
        (self.memory_per_draw * self.draws as f64) as u64
    }

    /// Why the run is too big for `room` (one sentence each); empty when it fits.
    pub fn problems(&self, room: &Room) -> Vec<String> {
        let (disk, memory) = (self.disk(), self.memory());
        let mut out = vec![];
        let mut over = vec![];
        if disk > DISK_LIMIT {
            over.push(format!("the {} a run may write without --yes", bytes(DISK_LIMIT)));
        }
        if let Some(free) = room.free_disk.filter(|f| disk > *f) {
            over.push(format!("the {} free where --out goes", bytes(free)));
        }
        if !over.is_empty() {
            out.push(format!(
                "write about {} ({}), more than {}",
                bytes(disk),
                self.files.iter().map(|(f, b)| format!("{f} {}", bytes(*b))).collect::<Vec<_>>().join(", "),
                over.join(" and ")
            ));
        }
        if let Some(avail) = room.memory.filter(|m| memory > *m) {
            out.push(format!(
                "keep about {} in memory for exact quantiles, more than the {} available",
                bytes(memory),
                bytes(avail)
            ));
        }
        out
    }

    /// The largest draw count that fits `room`, rounded down to two significant digits.
    pub fn draws_that_fit(&self, room: &Room) -> u64 {
        let fixed: u64 =
            self.files.iter().filter(|(f, _)| [YEARLY_CSV, YEARLY_PARQUET].contains(f)).map(|(_, b)| b).sum();
        let disk = room.free_disk.unwrap_or(u64::MAX).min(DISK_LIMIT).saturating_sub(fixed) as f64;
        let mut fit = disk / self.disk_per_draw.max(1.0);
        if let Some(m) = room.memory {
            fit = fit.min(m as f64 / self.memory_per_draw.max(1.0));
        }
        round_down(fit.min(MAX_DRAWS as f64) as u64)
    }
}

/// Disk and memory where the run happens (`None` where it cannot be told).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Room {
    /// Free bytes on the file system of the output directory (for an unprivileged user).
    pub free_disk: Option<u64>,
    /// Bytes of memory available to this process.
    pub memory: Option<u64>,
}

impl Room {
    /// The room for a run writing into `out` (which need not exist yet).
    pub fn for_output(out: &Path) -> Room {
        let existing = out.ancestors().find(|p| p.as_os_str().is_empty() || p.exists());
        let existing = match existing {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        Room { free_disk: free_space(existing), memory: available_memory() }
    }
}

/// Refuse (exit 2) a run too big for `room` unless `yes`; with `yes`, say
/// what it will take. `opts` and `ctx` time one draw for the message.
pub fn check_size(
    est: &Estimate,
    room: &Room,
    yes: bool,
    ctx: &RunContext<'_>,
    opts: &RunOptions,
) -> anyhow::Result<()> {
    let problems = est.problems(room);
    if problems.is_empty() {
        return Ok(());
    }
    let threads = if opts.threads == 0 { cores() } else { opts.threads.min(cores()) };
    let time = match opts.draw_numbers().next().map(|d| time_one_draw(ctx, opts, d)) {
        Some(Some(t)) => format!(
            "take about {} on {threads} thread{} (one draw took {})",
            duration(t.mul_f64(est.draws as f64 / threads as f64)),
            if threads == 1 { "" } else { "s" },
            duration(t)
        ),
        _ => String::new(),
    };
    let mut text = format!("{} draws would", thousands(est.draws));
    for p in problems.iter().chain(std::iter::once(&time).filter(|t| !t.is_empty())) {
        text.push_str("\n  - ");
        text.push_str(p);
    }
    if yes {
        note!("a big run (--yes): {text}");
        return Ok(());
    }
    let fit = est.draws_that_fit(room);
    Err(BadInput(format!(
        "this run is too big to start without --yes: {text}\nRun at most about {} draws, or add --yes to start it anyway.",
        thousands(fit)
    ))
    .into())
}

/// How long one draw takes on one thread (`None` when it fails; the run
/// itself then reports the error).
fn time_one_draw(ctx: &RunContext<'_>, opts: &RunOptions, draw: u64) -> Option<Duration> {
    let clock = Instant::now();
    runner::run_draw(ctx, opts, draw).ok()?;
    Some(clock.elapsed())
}

/// Free bytes for an unprivileged user on the file system of `path`.
#[cfg(unix)]
fn free_space(path: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).ok()?;
    // SAFETY: statvfs is plain old data, for which all zeroes is a valid value.
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: `c` is a NUL-terminated path and `st` a valid, writable statvfs.
    let rc = unsafe { libc::statvfs(c.as_ptr(), &mut st) };
    #[allow(clippy::unnecessary_cast)] // the field types differ between platforms
    (rc == 0).then(|| st.f_bavail as u64 * st.f_frsize as u64)
}

/// Free bytes on the file system of `path` (not known on this platform).
#[cfg(not(unix))]
fn free_space(_path: &Path) -> Option<u64> {
    None
}

/// Memory available to this process: the kernel's `MemAvailable`, lowered to
/// what a memory cgroup (a Slurm job, a container) still allows.
fn available_memory() -> Option<u64> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok();
    let available = meminfo.as_deref().and_then(|m| {
        let line = m.lines().find(|l| l.starts_with("MemAvailable:"))?;
        line.split_whitespace().nth(1)?.parse::<u64>().ok().map(|kb| kb * 1024)
    });
    let read = |p: &str| std::fs::read_to_string(p).ok().and_then(|s| s.trim().parse::<u64>().ok());
    let cgroup = match (read("/sys/fs/cgroup/memory.max"), read("/sys/fs/cgroup/memory.current")) {
        (Some(max), Some(current)) => Some(max.saturating_sub(current)),
        (Some(max), None) => Some(max),
        _ => None,
    };
    match (available, cgroup) {
        (Some(a), Some(c)) => Some(a.min(c)),
        (a, c) => a.or(c),
    }
}

/// `n` rounded down to two significant digits (46,789 → 46,000).
fn round_down(n: u64) -> u64 {
    if n < 100 {
        return n;
    }
    let unit = 10u64.pow(n.ilog10() - 1);
    n / unit * unit
}

/// `1234567` → `1,234,567`.
pub fn thousands(n: u64) -> String {
    wijkimpact::render::format::terminal_count(n)
}

/// Bytes in decimal units: `2.1 GB`, `214 kB`.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["kB", "MB", "GB", "TB", "PB"];
    if n < 1000 {
        return format!("{n} bytes");
    }
    let mut x = n as f64;
    let mut unit = "";
    for u in UNITS {
        x /= 1000.0;
        unit = u;
        if x < 1000.0 {
            break;
        }
    }
    if x < 10.0 {
        format!("{x:.1} {unit}")
    } else {
        format!("{x:.0} {unit}")
    }
}

/// A duration the way people say it: `40 s`, `12 min`, `5.2 h`, `3.4 days`.
pub fn duration(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 1.0 {
        format!("{:.1} ms", s * 1000.0)
    } else if s < 90.0 {
        format!("{s:.0} s")
    } else if s < 90.0 * 60.0 {
        format!("{:.0} min", s / 60.0)
    } else if s < 48.0 * 3600.0 {
        format!("{:.1} h", s / 3600.0)
    } else {
        format!("{:.1} days", s / 86400.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wijkimpact::model::Mode;
    use wijkimpact::output::{
        csv::DrawsCsv,
        draws::DrawsWriter,
        shard::{ShardHeader, ShardWriter},
        RunDir, DRAWS_CSV, PARAMETERS_CSV,
    };

    #[test]
    fn draws_are_bounded() {
        assert_eq!(parse_draws("4"), Ok(4));
        assert_eq!(parse_draws("10_000_000"), Ok(MAX_DRAWS));
        assert!(parse_draws("0").unwrap_err().contains("at least 1"));
        assert!(parse_draws("10000001").unwrap_err().contains("10,000,000"));
        assert!(parse_draws("1000000000000").is_err());
        assert!(parse_draws("99999999999999999999999").is_err());
        assert!(parse_draws("-3").is_err());
    }

    #[test]
    fn threads_are_bounded_by_the_cores() {
        assert_eq!(parse_threads("0"), Ok(0));
        assert_eq!(parse_threads(&max_threads().to_string()), Ok(max_threads()));
        let e = parse_threads(&(max_threads() + 1).to_string()).unwrap_err();
        assert!(e.contains(&format!("at most {}", max_threads())), "{e}");
        assert!(parse_threads("100000000").is_err());
        assert!(parse_threads("x").is_err());
    }

    #[test]
    fn numbers_read_the_way_people_say_them() {
        assert_eq!(thousands(10_000_000), "10,000,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(bytes(214_000), "214 kB");
        assert_eq!(bytes(2_140_000_000), "2.1 GB");
        assert_eq!(bytes(12), "12 bytes");
        assert_eq!(duration(Duration::from_secs(40)), "40 s");
        assert_eq!(duration(Duration::from_micros(2345)), "2.3 ms");
        assert_eq!(duration(Duration::from_secs(720)), "12 min");
        assert_eq!(duration(Duration::from_secs(5 * 3600)), "5.0 h");
        assert_eq!(duration(Duration::from_secs(3 * 86400)), "3.0 days");
        assert_eq!(round_down(46_789), 46_000);
        assert_eq!(round_down(57), 57);
    }

    fn example() -> wijkimpact::scenario::Loaded {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/example-full.toml");
        wijkimpact::scenario::load(&path).unwrap()
    }

    /// The estimate against the files the writers really produce for the
    /// bundled example: the per-draw CSV files within 25 %, a shard's
    /// compressed file below the estimate (its uncompressed size).
    #[test]
    fn estimate_matches_the_files_written() {
        let loaded = example();
        let ctx = RunContext::new(&loaded.model).unwrap();
        let draws = 40;
        let t = tempfile::tempdir().unwrap();
        let opts = RunOptions::new(7, draws, Mode::Cohort);
        let mut dir = RunDir::create(&t.path().join("run"), false).unwrap();
        let mut csv = DrawsCsv::create(&mut dir, &ctx).unwrap();
        runner::run(&ctx, &opts, &mut csv, &mut |_| {}).unwrap();
        csv.finish().unwrap();
        dir.finish().unwrap();
        let est = Estimate::of(&ctx, draws, None, OutputFormat::Csv);
        for name in [DRAWS_CSV, PARAMETERS_CSV] {
            let real = std::fs::metadata(t.path().join("run").join(name)).unwrap().len() as f64;
            let guess = est.files.iter().find(|(f, _)| *f == name).unwrap().1 as f64;
            assert!((guess / real - 1.0).abs() < 0.25, "{name}: estimated {guess} bytes, written {real}");
        }

        // Parquet: the estimate is an upper bound of the compressed files.
        let mut dir = RunDir::create(&t.path().join("pq"), false).unwrap();
        let mut pq = DrawsWriter::create(&mut dir, &ctx, OutputFormat::Parquet).unwrap();
        runner::run(&ctx, &opts, &mut pq, &mut |_| {}).unwrap();
        pq.finish().unwrap();
        dir.finish().unwrap();
        let est = Estimate::of(&ctx, draws, None, OutputFormat::Parquet);
        for name in [OutputFormat::Parquet.draws_file(), OutputFormat::Parquet.parameters_file()] {
            let real = std::fs::metadata(t.path().join("pq").join(name)).unwrap().len();
            let guess = est.files.iter().find(|(f, _)| *f == name).unwrap().1;
            assert!(real < guess, "{name}: estimated at most {guess} bytes, written {real}");
        }

        let mut opts = RunOptions::new(7, draws, Mode::Cohort);
        (opts.shard_index, opts.shard_count) = (1, 3);
        let mut dir = RunDir::create(&t.path().join("shard"), false).unwrap();
        let header = ShardHeader::new(&ctx, &opts, "test");
        let mut writer = ShardWriter::create(&mut dir, &header).unwrap();
        runner::run(&ctx, &opts, &mut writer, &mut |_| {}).unwrap();
        writer.finish().unwrap();
        dir.finish().unwrap();
        let real =
            std::fs::metadata(t.path().join("shard").join(wijkimpact::output::shard::SHARD_PARQUET)).unwrap().len();
        let est = Estimate::of(&ctx, draws, Some((1, 3)), OutputFormat::Csv);
        assert_eq!(est.draws, 13);
        assert!(real < est.disk(), "shard file {real} bytes, estimated at most {}", est.disk());
    }

    #[test]
    fn a_run_that_fits_has_no_problems_and_a_big_one_says_why() {
        let est = Estimate {
            draws: 1_000_000,
            files: vec![(DRAWS_CSV, 200_000_000_000), (YEARLY_CSV, 100_000_000)],
            disk_per_draw: 200_000.0,
            memory_per_draw: 30_000.0,
        };
        let room = Room { free_disk: Some(75_000_000_000), memory: Some(20_000_000_000) };
        let p = est.problems(&room);
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].contains("200 GB") && p[0].contains("10 GB") && p[0].contains("75 GB free"), "{}", p[0]);
        assert!(p[1].contains("30 GB in memory") && p[1].contains("20 GB available"), "{}", p[1]);
        // 10 GB less yearly.csv at 200 kB a draw.
        assert_eq!(est.draws_that_fit(&room), 49_000);
        let small = Estimate { draws: 1000, files: vec![(DRAWS_CSV, 200_000_000)], ..est };
        assert!(small.problems(&room).is_empty());
        assert!(small.problems(&Room::default()).is_empty());
    }

    /// Too big: refused as bad input (exit 2) with the time one draw took;
    /// with `--yes` it may start.
    #[test]
    fn a_big_run_needs_yes() {
        let loaded = example();
        let ctx = RunContext::new(&loaded.model).unwrap();
        let opts = RunOptions::new(1, MAX_DRAWS, Mode::Cohort);
        let est = Estimate::of(&ctx, MAX_DRAWS, None, OutputFormat::Csv);
        let room = Room::default();
        let e = check_size(&est, &room, false, &ctx, &opts).unwrap_err();
        assert_eq!(super::super::exit_code(&e), 2);
        let msg = e.to_string();
        assert!(msg.contains("10,000,000 draws would") && msg.contains("one draw took"), "{msg}");
        assert!(check_size(&est, &room, true, &ctx, &opts).is_ok());
        let small = Estimate::of(&ctx, 1000, None, OutputFormat::Csv);
        assert!(check_size(&small, &room, false, &ctx, &opts).is_ok());
    }

    #[test]
    fn room_is_measured_where_the_output_will_go() {
        let t = tempfile::tempdir().unwrap();
        let room = Room::for_output(&t.path().join("not/yet/there"));
        if cfg!(target_os = "linux") {
            assert!(room.free_disk.is_some_and(|b| b > 0), "{room:?}");
            assert!(room.memory.is_some_and(|b| b > 0), "{room:?}");
        }
        assert_eq!(Room::for_output(Path::new("relative/dir")).free_disk.is_some(), cfg!(unix));
    }
}
