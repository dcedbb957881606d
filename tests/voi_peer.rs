//! Export of draws for comparing the EVPPI with Strong et al.'s own mgcv
//! implementation (scripts/peer/evppi_mgcv.R); not run by CI:
//!
//! ```text
//! VOI_EXPORT=/tmp/voi cargo test --release --test voi_peer -- --ignored
//! Rscript scripts/peer/evppi_mgcv.R /tmp/voi/draws.csv x_a       # and x_a,x_b and x_c
//! cat /tmp/voi/ours.txt
//! ```
//!
//! Three arms whose net benefits depend nonlinearly on three inputs (x_a and
//! x_b interact), plus noise no input explains, 10,000 draws.

use ndarray::Array2;
use wijkimpact::decision::voi::{self, EvppiOptions};
use wijkimpact::rng::{self, Purpose};

#[test]
#[ignore]
fn export() {
    let dir = std::path::PathBuf::from(std::env::var("VOI_EXPORT").expect("set VOI_EXPORT to a directory"));
    std::fs::create_dir_all(&dir).unwrap();
    let n = 10_000;
    let mut r = rng::stream(31, 0, Purpose::Test, 0);
    let x = Array2::from_shape_fn((n, 4), |_| rng::uniform(&mut r));
    // Noise from x[3], which is not exported: no group explains it.
    let nb = Array2::from_shape_fn((n, 3), |(j, d)| {
        let (a, b, c, e) = (x[[j, 0]], x[[j, 1]], x[[j, 2]], x[[j, 3]]);
        match d {
            0 => 0.0,
            1 => 800.0 * (a - 0.4) + 300.0 * a * b - 150.0 + 200.0 * (c - 0.5) + 400.0 * (e - 0.5),
            _ => 1200.0 * (a - 0.5).powi(2) - 60.0 + 500.0 * (b - 0.5) + 300.0 * (e - 0.5),
        }
    });
    let mut csv = String::from("nb_0,nb_1,nb_2,x_a,x_b,x_c\n");
    for j in 0..n {
        csv.push_str(&format!(
            "{:?},{:?},{:?},{:?},{:?},{:?}\n",
            nb[[j, 0]],
            nb[[j, 1]],
            nb[[j, 2]],
            x[[j, 0]],
            x[[j, 1]],
            x[[j, 2]]
        ));
    }
    std::fs::write(dir.join("draws.csv"), csv).unwrap();
    let opts = EvppiOptions::default();
    let mut out = format!("evpi {}\n", voi::evpi(nb.view()).unwrap());
    for (name, cols) in [("x_a", vec![0]), ("x_a,x_b", vec![0, 1]), ("x_c", vec![2])] {
        let g = Array2::from_shape_fn((n, cols.len()), |(j, k)| x[[j, cols[k]]]);
        let e = voi::evppi(nb.view(), g.view(), &opts).unwrap();
        out.push_str(&format!("{name}: evppi {} se {}\n", e.value, e.se));
    }
    std::fs::write(dir.join("ours.txt"), out).unwrap();
}
