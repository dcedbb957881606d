//! `run --shard I/N` + `merge` give the outputs of a single run, byte for byte
//! (manifest: apart from timing and provenance fields), and mismatched shards
//! are refused with a clear error.

mod common;

use common::{json, tmpdir, wijkimpact, MANIFEST_VOLATILE, RUN_FILES};
use std::path::Path;

const SCENARIO: &str = "scenarios/example-full.toml";

fn run(out: &Path, extra: &[&str]) {
    let mut args = vec!["--draws", "13", "--seed", "11"];
    args.extend_from_slice(extra);
    common::run(Path::new(SCENARIO), &args, out).success();
}

/// The manifest without the fields that describe how the run went, not what it computed.
fn manifest_without_timing(dir: &Path) -> serde_json::Value {
    let mut v = json(&dir.join("manifest.json"));
    for k in MANIFEST_VOLATILE {
        v.as_object_mut().unwrap().remove(k);
    }
    v
}

#[test]
fn merged_shards_are_identical_to_a_single_run_in_both_modes() {
    for mode in ["cohort", "stochastic"] {
        let tmp = tmpdir();
        let single = tmp.path().join("single");
        run(&single, &["--mode", mode]);
        let mut shard_dirs = vec![];
        for i in 0..4 {
            let d = tmp.path().join(format!("shard{i}"));
            run(&d, &["--mode", mode, "--shard", &format!("{i}/4"), "--threads", "1"]);
            shard_dirs.push(d);
        }
        let merged = tmp.path().join("merged");
        // Shards may be given in any order.
        let mut args = vec!["merge".to_string()];
        args.extend([3, 1, 0, 2].iter().map(|&i| shard_dirs[i].display().to_string()));
        args.extend(["--out".to_string(), merged.display().to_string()]);
        wijkimpact().args(&args).assert().success();
        // Every file of a run but the manifest (compared below without its timing).
        for f in RUN_FILES.into_iter().filter(|f| *f != "manifest.json") {
            let a = std::fs::read(single.join(f)).unwrap();
            let b = std::fs::read(merged.join(f)).unwrap();
            assert!(a == b, "{mode}: {f} differs between the single run and the merged shards");
        }
        assert_eq!(manifest_without_timing(&single), manifest_without_timing(&merged), "{mode}: manifest");
        let files = &manifest_without_timing(&merged)["files"];
        assert!(files.as_array().unwrap().iter().any(|f| f == "sensitivity.csv"), "{mode}: {files}");
        // Shards hold only their draws.
        assert!(!shard_dirs[0].join("sensitivity.csv").exists() && !shard_dirs[0].join("assumptions.json").exists());
    }
}

#[test]
fn merge_without_sensitivity_matches_a_run_without_it() {
    let tmp = tmpdir();
    let single = tmp.path().join("single");
    run(&single, &["--no-sensitivity"]);
    let mut args = vec!["merge".to_string()];
    for i in 0..2 {
        let d = tmp.path().join(format!("shard{i}"));
        run(&d, &["--shard", &format!("{i}/2")]);
        args.push(d.display().to_string());
    }
    let merged = tmp.path().join("merged");
    args.extend([
        "--out".to_string(),
        merged.display().to_string(),
        "--no-sensitivity".into(),
        "--threads".into(),
        "1".into(),
    ]);
    wijkimpact().args(&args).assert().success();
    for dir in [&single, &merged] {
        assert!(!dir.join("sensitivity.csv").exists());
        assert!(dir.join("assumptions.json").exists());
    }
    for f in ["summary.json", "assumptions.json"] {
        assert!(std::fs::read(single.join(f)).unwrap() == std::fs::read(merged.join(f)).unwrap(), "{f} differs");
    }
    assert_eq!(manifest_without_timing(&single), manifest_without_timing(&merged));
}

#[test]
fn mismatched_missing_or_repeated_shards_are_refused() {
    let tmp = tmpdir();
    let d = |name: &str| tmp.path().join(name);
    run(&d("a0"), &["--shard", "0/2"]);
    run(&d("a1"), &["--shard", "1/2"]);
    let other_seed = d("b1");
    wijkimpact()
        .args([
            "run",
            SCENARIO,
            "--draws",
            "13",
            "--seed",
            "12",
            "--shard",
            "1/2",
            "--out",
            other_seed.to_str().unwrap(),
        ])
        .assert()
        .success();
    let stochastic = d("c1");
    run(&stochastic, &["--shard", "1/2", "--mode", "stochastic"]);
    let cases: [(Vec<std::path::PathBuf>, &str); 4] = [
        (vec![d("a0")], "missing shards: 1/2"),
        (vec![d("a0"), d("a0"), d("a1")], "both shard 0/2"),
        (vec![d("a0"), other_seed.clone()], "seed 11 vs 12"),
        (vec![d("a0"), stochastic.clone()], "mode cohort vs stochastic"),
    ];
    for (dirs, message) in cases {
        let mut args: Vec<String> = vec!["merge".into()];
        args.extend(dirs.iter().map(|p| p.display().to_string()));
        args.extend(["--out".into(), d("out").display().to_string()]);
        let out = wijkimpact().args(&args).assert().code(2).get_output().stderr.clone();
        let err = String::from_utf8_lossy(&out);
        assert!(err.contains(message), "expected {message:?} in: {err}");
        assert!(!d("out").join("summary.json").exists());
    }
    // A complete run directory is not a shard.
    run(&d("full"), &[]);
    let out = wijkimpact()
        .args(["merge", d("full").to_str().unwrap(), "--out", d("out2").to_str().unwrap()])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(String::from_utf8_lossy(&out).contains("not a shard"));
}

// ---------------------------------------------------------------------------
// Damaged shard files: every one is bad input (exit 2) naming the shard and
// its file, and nothing is written.
// ---------------------------------------------------------------------------

use arrow_array::cast::AsArray;
use arrow_array::types::Float64Type;
use arrow_array::{ArrayRef, Float64Array, ListArray, RecordBatch};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::ArrowWriter;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use std::path::PathBuf;
use std::sync::Arc;
use wijkimpact::output::shard::{HEADER_KEY, SHARD_PARQUET};

/// Shards 0/2 and 1/2 of the test run in a temporary directory, to be damaged.
struct TwoShards {
    tmp: tempfile::TempDir,
    dirs: [PathBuf; 2],
    /// Shard 1/2's file.
    file: PathBuf,
}

impl TwoShards {
    fn new() -> Self {
        let tmp = tmpdir();
        let dirs = [tmp.path().join("a0"), tmp.path().join("a1")];
        for (i, d) in dirs.iter().enumerate() {
            run(d, &["--shard", &format!("{i}/2")]);
        }
        let file = dirs[1].join(SHARD_PARQUET);
        TwoShards { tmp, dirs, file }
    }

    /// `merge` must fail with exit code 2, write no results, and name shard
    /// 1/2 and `named` (its file unless given) and say every one of `what`.
    fn refused_naming(&self, named: &Path, what: &[&str]) {
        let out = self.tmp.path().join("out");
        let mut args: Vec<String> = vec!["merge".into()];
        args.extend(self.dirs.iter().map(|p| p.display().to_string()));
        args.extend(["--out".into(), out.display().to_string()]);
        let stderr = wijkimpact().args(&args).assert().code(2).get_output().stderr.clone();
        let err = String::from_utf8_lossy(&stderr);
        assert!(!out.join("summary.json").exists() && !out.join("draws.csv").exists(), "results written: {err}");
        assert!(err.contains(&format!("shard 1/2: {}", named.display())), "shard and file not named in: {err}");
        for w in what {
            assert!(err.contains(w), "expected {w:?} in: {err}");
        }
    }

    fn refused(&self, what: &[&str]) {
        self.refused_naming(&self.file, what);
    }
}

/// Rewrite a shard file with `edit` applied to its rows, keeping its shard header.
fn rewrite_shard(file: &Path, edit: impl FnOnce(RecordBatch) -> RecordBatch) {
    let builder = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(file).unwrap()).unwrap();
    let kv = builder.metadata().file_metadata().key_value_metadata().unwrap();
    let header: KeyValue = kv.iter().find(|kv| kv.key == HEADER_KEY).unwrap().clone();
    let schema = builder.schema().clone();
    let batches: Vec<RecordBatch> = builder.build().unwrap().map(|b| b.unwrap()).collect();
    assert_eq!(batches.len(), 1, "a test shard is read as one batch");
    let batch = edit(batches.into_iter().next().unwrap());
    let props = WriterProperties::builder().set_key_value_metadata(Some(vec![header])).build();
    let mut w = ArrowWriter::try_new(std::fs::File::create(file).unwrap(), schema, Some(props)).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
}

#[test]
fn truncated_shard_is_bad_input_naming_the_shard() {
    let t = TwoShards::new();
    let whole = std::fs::read(&t.file).unwrap();
    for keep in [whole.len() / 2, whole.len() - 1, 8] {
        std::fs::write(&t.file, &whole[..keep]).unwrap();
        t.refused(&["incomplete shard", "ends without its Parquet footer", "rerun the shard"]);
    }
}

#[test]
fn corrupt_shard_file_is_bad_input_naming_the_shard() {
    let t = TwoShards::new();
    let whole = std::fs::read(&t.file).unwrap();
    // Garbage: not a Parquet file at all (also an empty file).
    std::fs::write(&t.file, b"draw,value\n0,1.5\n").unwrap();
    t.refused(&["not a Parquet file (it starts with \"draw\", not PAR1)"]);
    std::fs::write(&t.file, b"").unwrap();
    t.refused(&["not a Parquet file", "empty file"]);
    // Bytes damaged inside the data pages, the footer intact: the pages still
    // decompress, so the checksum is what catches them.
    for at in [whole.len() / 3, whole.len() / 2] {
        let mut damaged = whole.clone();
        damaged[at] ^= 0x55;
        std::fs::write(&t.file, &damaged).unwrap();
        t.refused(&["corrupt shard"]);
    }
}

#[test]
fn altered_value_in_a_shard_fails_its_checksum() {
    let t = TwoShards::new();
    rewrite_shard(&t.file, |b| {
        let ledger = b.column(2).as_list::<i32>();
        let mut values = ledger.values().as_primitive::<Float64Type>().values().to_vec();
        let i = values.len() / 2;
        values[i] = f64::from_bits(values[i].to_bits() ^ 1); // the last bit of one number
        let field = Arc::new(arrow_schema::Field::new("item", arrow_schema::DataType::Float64, false));
        let ledger = ListArray::new(field, ledger.offsets().clone(), Arc::new(Float64Array::from(values)), None);
        let mut columns: Vec<ArrayRef> = b.columns().to_vec();
        columns[2] = Arc::new(ledger);
        RecordBatch::try_new(b.schema(), columns).unwrap()
    });
    t.refused(&["corrupt shard", "fails its checksum"]);
}

#[test]
fn shard_directory_without_its_file_is_bad_input() {
    let t = TwoShards::new();
    std::fs::remove_file(&t.file).unwrap();
    t.refused(&["no such file", "rerun the shard"]);
}

#[test]
fn shard_in_the_old_draws_bin_format_is_refused_with_advice() {
    let t = TwoShards::new();
    std::fs::remove_file(&t.file).unwrap();
    let old = t.dirs[1].join("draws.bin");
    std::fs::write(&old, b"WIJKSHD1\x01\0\0\0\0\0\0\0").unwrap();
    t.refused_naming(&old, &["draws.bin shard format of earlier wijkimpact versions", "no longer reads", "rerun"]);
}

#[test]
fn trailing_bytes_after_a_shard_file_are_bad_input() {
    let t = TwoShards::new();
    let mut bytes = std::fs::read(&t.file).unwrap();
    let end = bytes.len();
    bytes.extend_from_slice(b"appended by a careless copy\n");
    std::fs::write(&t.file, &bytes).unwrap();
    t.refused(&[&format!("28 bytes follow the end of its Parquet footer at byte {end}")]);
}

#[test]
fn shard_ending_before_its_announced_draw_count_is_bad_input() {
    let t = TwoShards::new();
    // Draws 1, 3, …, 11 of 13: six draws; keep five.
    rewrite_shard(&t.file, |b| {
        assert_eq!(b.num_rows(), 6);
        b.slice(0, 5)
    });
    t.refused(&["ends before its announced draw count: holds 5 of its 6 draws", "rerun the shard"]);
}

#[test]
fn shard_file_copied_from_another_run_is_refused() {
    let t = TwoShards::new();
    let other = t.tmp.path().join("b1");
    run(&other, &["--shard", "1/2", "--mode", "stochastic"]);
    std::fs::copy(other.join(SHARD_PARQUET), &t.file).unwrap();
    t.refused(&["the file's mode is stochastic but manifest.json says cohort", "another run"]);
}

/// Shards of a run that needed `--allow-any-include` merge with the same flag,
/// and without it are refused naming the include (merge reloads the scenario).
#[test]
fn merge_of_a_run_with_includes_outside_its_folder_needs_the_same_flag() {
    let t = tmpdir();
    let sub = t.path().join("sub");
    std::fs::create_dir(&sub).unwrap();
    std::fs::copy(SCENARIO, t.path().join("city.toml")).unwrap();
    std::fs::copy("scenarios/example-shared.toml", t.path().join("example-shared.toml")).unwrap();
    let main = sub.join("main.toml");
    std::fs::write(&main, "include = [\"../city.toml\"]\n").unwrap();
    let shards: Vec<_> = (0..2).map(|i| t.path().join(format!("s{i}"))).collect();
    for (i, d) in shards.iter().enumerate() {
        let shard = format!("{i}/2");
        let args = ["--draws", "6", "--seed", "3", "--shard", &shard, "--allow-any-include"];
        common::run(&main, &args, d).success();
    }
    let merge = |extra: &[&str], out: &str| {
        wijkimpact().arg("merge").args(&shards).arg("--out").arg(t.path().join(out)).args(extra).assert()
    };
    let refused = merge(&[], "refused").code(2);
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).into_owned();
    assert!(stderr.contains("include[0]") && stderr.contains("--allow-any-include"), "{stderr}");
    assert!(!t.path().join("refused").join("summary.json").exists());
    merge(&["--allow-any-include"], "merged").success();
    assert!(t.path().join("merged").join("summary.json").exists());
}
