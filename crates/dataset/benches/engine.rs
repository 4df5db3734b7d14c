//! Criterion benchmarks of the engine on generated datasets: is-action-allowed over the
//! verified workload, a department chain of depth 1 vs 32, get-user-authorized-resources for
//! the heavy user, and a get-resource-authorized-targets page.
//!
//! `cargo bench -p portcullis-dataset` runs small and medium; set `PORTCULLIS_BENCH_LARGE=1` to
//! add large (it takes several GiB and minutes to build). Criterion reports means; the
//! percentiles the targets are stated in come from `portcullis-dataset bench` (bench/run.sh).

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use portcullis_core::codes::GrantCode;
use portcullis_core::ops::authorization::grants_on_code;
use portcullis_core::ops::PageRequest;
use portcullis_core::{engine, Mutation};
use portcullis_dataset::generate::{deep_chain, HOT_CODE};
use portcullis_dataset::measure::load;
use portcullis_dataset::{Size, NOW_MS};
use std::hint::black_box;

/// The allocator the server and `portcullis-dataset bench` use (transparent huge pages, see
/// `src/main.rs`), so criterion measures the same memory layout.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn sizes() -> Vec<Size> {
    let mut sizes = vec![Size::SMALL, Size::MEDIUM];
    if std::env::var_os("PORTCULLIS_BENCH_LARGE").is_some() {
        sizes.push(Size::LARGE);
    }
    sizes
}

fn engine_benches(c: &mut Criterion) {
    for size in sizes() {
        let mut loaded = load(size, 1, 20_000);
        loaded.verify().expect("the engine agrees with the reference");
        let chains: Vec<_> = [1, 32]
            .into_iter()
            .map(|depth| {
                let dataset = &loaded.dataset;
                (depth, deep_chain(dataset, depth, |r| loaded.state.apply(Mutation::Put(r))))
            })
            .collect();
        let (state, namespace) = (&loaded.state, &loaded.dataset.namespace);
        let mut group = c.benchmark_group(format!("engine/{size}"));

        let checks = &loaded.workload.checks;
        let mut next = 0;
        group.bench_function("is_action_allowed/workload", |b| {
            b.iter_batched(
                || {
                    next = (next + 1) % checks.len();
                    &checks[next]
                },
                |c| engine::is_action_allowed(state, namespace, &c.user, &c.action, &c.resource, NOW_MS),
                BatchSize::SmallInput,
            )
        });
        for (depth, (user, resource)) in &chains {
            group.bench_function(format!("is_action_allowed/department_depth_{depth}"), |b| {
                b.iter(|| engine::is_action_allowed(state, namespace, user, "write", black_box(resource), NOW_MS))
            });
        }
        let heavy = &loaded.dataset.heavy_user;
        group.bench_function("effective_grants/heavy_user", |b| {
            b.iter(|| engine::effective_grants(state, namespace, black_box(heavy), NOW_MS))
        });
        let hot = GrantCode::parse(HOT_CODE).expect("a valid code");
        group.bench_function("authorized_targets/page_of_10", |b| {
            b.iter(|| {
                grants_on_code(state, namespace, black_box(&hot), None, PageRequest { page: 1, limit: 10 }).items.len()
            })
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30);
    targets = engine_benches
}
criterion_main!(benches);
