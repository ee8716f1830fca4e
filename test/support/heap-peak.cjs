// Preloaded with `node -r` (tests and bench/replay-memory.ts): samples the heap every 5 ms and
// writes the peak `heapUsed`, in bytes, to the file GATEWATCH_HEAP_PEAK_FILE names when the
// process exits.
const { writeFileSync } = require('node:fs');

let peak = 0;
const sample = () => {
  peak = Math.max(peak, process.memoryUsage().heapUsed);
};
setInterval(sample, 5).unref();
process.on('exit', () => {
  sample();
  if (process.env.GATEWATCH_HEAP_PEAK_FILE) writeFileSync(process.env.GATEWATCH_HEAP_PEAK_FILE, String(peak));
});
