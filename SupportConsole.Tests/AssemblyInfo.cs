// Test classes run one after another: several start the real app, a browser or a training run, and on a
// 2-core machine running them side by side makes timings (browser waits, live updates) unreliable.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
