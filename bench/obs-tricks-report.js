// Renders bench/results/obs-tricks.json (bench/obs-tricks.sh) as Markdown: one row per trick, one column per
// sparsity, each cell the top-1 and its drop against the dense model with the paired 95% interval; then the seconds
// each trick takes per sparsity and the per-layer sparsities the allocations chose at the highest sparsity.
const fs = require('fs');
const r = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const pct = (x) => (100 * x).toFixed(2);
const sparsities = [...new Set(r.rows.map((row) => row.sparsity))];
const tricks = [...new Set(r.rows.map((row) => row.trick))];
const cell = (t, s) => r.rows.find((row) => row.trick === t && row.sparsity === s);
const out = [];
out.push(`# obs tricks on a plainly trained ${r.model.startsWith('resnet20') ? 'ResNet-20' : r.model.split(',')[0]} `
  + `(${r.date || ''})`.replace(' ()', ''));
out.push('');
out.push(`Model: ${r.model}; dense top-1 ${pct(r.denseTop1)}% on the 10,000 official Fashion-MNIST test images. `
  + `Reconstruction on ${r.reconstructionImages} unlabeled training images (+imagesN: N), Hessians damped by 1% of `
  + `their mean diagonal (+dampX: X), batch norms (+bn) on `
  + `${r.batchNormImages}; ${r.cores} cores. Error curves for dp: ${(r.curvesMs / 1000).toFixed(1)} s once per `
  + 'checkpoint. No fine-tuning anywhere.');
out.push('');
out.push('Cells: top-1 % (drop in points against the dense model, paired 95% interval).');
out.push('');
// One row per trick, one column per sparsity, each cell as `show` writes the trick's row at that sparsity.
const table = (show) => {
  out.push(`| trick | ${sparsities.map((s) => `${Math.round(100 * s)}%`).join(' | ')} |`);
  out.push(`|---|${sparsities.map(() => '---').join('|')}|`);
  for (const t of tricks) {
    out.push(`| ${t} | ${sparsities.map((s) => (cell(t, s) ? show(cell(t, s)) : '')).join(' | ')} |`);
  }
};
table((c) => `${pct(c.top1)} (${pct(-c.drop)}; ${pct(-c.dropHigh)}..${pct(-c.dropLow)})`);
out.push('');
out.push('Seconds per variant (reconstruction + batch-norm re-estimation):');
out.push('');
table((c) => ((c.reconstructionMs + c.bnMs) / 1000).toFixed(1));
const top = sparsities[sparsities.length - 1];
const shown = tricks.filter((t) => !t.includes('+') && cell(t, top));
if (shown.length > 0) {
  const layers = Object.keys(cell(shown[0], top).layers);
  out.push('');
  out.push(`Per-layer sparsity at ${Math.round(100 * top)}% (%):`);
  out.push('');
  out.push(`| layer | ${shown.join(' | ')} |`);
  out.push(`|---|${shown.map(() => '---').join('|')}|`);
  for (const l of layers) {
    out.push(`| ${l} | ${shown.map((t) => (100 * cell(t, top).layers[l]).toFixed(1)).join(' | ')} |`);
  }
}
console.log(out.join('\n'));
