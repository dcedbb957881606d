//! Print the joint blocks each arm of a scenario tracks in cohort mode
//! (a diagnostic for model size and speed).
fn main() {
    let path = std::env::args().nth(1).expect("usage: plan_dump SCENARIO.toml");
    let loaded = match wijkimpact::scenario::load(std::path::Path::new(&path)) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let m = &loaded.model;
    let plan = wijkimpact::sim::Plan::new(m).expect("plan");
    for (i, arm) in plan.arms.iter().enumerate() {
        let name = if i == 0 { "nulalternatief".to_string() } else { m.scenarios[i - 1].name.clone() };
        println!("arm {name}");
        for b in &arm.blocks {
            let names: Vec<String> = b
                .dims
                .iter()
                .map(|&d| match arm.dims[d] {
                    wijkimpact::sim::plan::Dim::Chain(c) => m.chains[c].name.clone(),
                    wijkimpact::sim::plan::Dim::Exposure(k) => {
                        format!("exposure:{}", m.interventions[arm.interventions[k]].name)
                    }
                })
                .collect();
            println!("  size {:4}  {}", b.size, names.join(" × "));
        }
    }
}
