/**
 * L2-regularised logistic regression fitted by Newton's method (iteratively reweighted least squares):
 * small, deterministic and exact to the last digit for a given input order, which a ranker stored in a
 * model bundle needs. The penalty pulls the weights towards a prior (zero, or a ranker being refitted on
 * a user's labels), never the intercept.
 */
const { abs, exp, log, max } = Math;

export interface LogisticModel {
  /** One weight per feature. */
  weights: number[];
  intercept: number;
}

export interface LogisticOptions {
  /** Penalty λ of (λ/2)·Σ(w − prior)²; with standardised features λ ≈ 1 is mild. */
  l2: number;
  /** Weights the penalty pulls towards (default: zeros). */
  prior?: readonly number[];
  /** Per-example weights (default 1). */
  sampleWeights?: ArrayLike<number>;
  /** Newton iterations at most (default 50). */
  maxIterations?: number;
}

/** 1 / (1 + e^−z), without overflow. */
export const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z)));

/** Linear predictor w·x + b of one row. */
export function logit(m: LogisticModel, x: ArrayLike<number>): number {
  let z = m.intercept;
  for (let j = 0; j < m.weights.length; j++) z += m.weights[j] * x[j];
  return z;
}

/**
 * Fits p(y = 1 | x) = σ(w·x + b) to rows `x` (each of length d) and labels `y` (0/1).
 *
 * @example
 * const m = fitLogistic([[0], [1], [2], [3]], [0, 0, 1, 1], { l2: 0.1 });
 * sigmoid(logit(m, [3])) > 0.5 // true
 */
export function fitLogistic(x: ReadonlyArray<ArrayLike<number>>, y: ArrayLike<number>, o: LogisticOptions): LogisticModel {
  const n = x.length;
  if (n === 0) throw new Error('logistic regression: no examples');
  const d = x[0].length;
  const prior = o.prior ?? new Array<number>(d).fill(0);
  if (prior.length !== d) throw new Error(`logistic regression: prior has ${prior.length} weights for ${d} features`);
  const sw = o.sampleWeights;
  // parameters: d weights then the intercept
  const beta = new Float64Array(d + 1);
  for (let j = 0; j < d; j++) beta[j] = prior[j];
  let positives = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = sw ? sw[i] : 1;
    positives += w * y[i];
    total += w;
  }
  const base = Math.min(1 - 1e-6, Math.max(1e-6, positives / total));
  beta[d] = log(base / (1 - base));
  /** Penalised negative log-likelihood at `b`. */
  const lossAt = (b: Float64Array): number => {
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const xi = x[i];
      let z = b[d];
      for (let j = 0; j < d; j++) z += b[j] * xi[j];
      loss += (sw ? sw[i] : 1) * logLoss(z, y[i]);
    }
    for (let j = 0; j < d; j++) loss += 0.5 * o.l2 * (b[j] - prior[j]) ** 2;
    return loss;
  };
  let previous = Infinity;
  // the loss at beta: each accepted step's trial loss is the next iteration's
  let loss = lossAt(beta);
  for (let it = 0; it < (o.maxIterations ?? 50); it++) {
    const grad = new Float64Array(d + 1);
    const hess = new Float64Array((d + 1) * (d + 1));
    for (let i = 0; i < n; i++) {
      const xi = x[i];
      let z = beta[d];
      for (let j = 0; j < d; j++) z += beta[j] * xi[j];
      const p = sigmoid(z);
      const w = sw ? sw[i] : 1;
      const r = w * (p - y[i]);
      const h = w * p * (1 - p);
      for (let a = 0; a <= d; a++) {
        const xa = a === d ? 1 : xi[a];
        grad[a] += r * xa;
        for (let b = 0; b <= a; b++) hess[a * (d + 1) + b] += h * xa * (b === d ? 1 : xi[b]);
      }
    }
    for (let j = 0; j < d; j++) {
      const dev = beta[j] - prior[j];
      grad[j] += o.l2 * dev;
      hess[j * (d + 1) + j] += o.l2;
    }
    for (let a = 0; a <= d; a++) for (let b = 0; b < a; b++) hess[b * (d + 1) + a] = hess[a * (d + 1) + b];
    hess[d * (d + 1) + d] += 1e-9; // keeps the system solvable when every example has one label
    const step = solveSymmetric(hess, grad, d + 1);
    // a full Newton step, halved until the loss does not rise: far from the optimum (few positives that a
    // plane nearly separates) a full step can overshoot into saturation and diverge
    let t = 1;
    const next = new Float64Array(d + 1);
    let nextLoss = loss;
    for (let halvings = 0; halvings < 30; halvings++, t /= 2) {
      for (let a = 0; a <= d; a++) next[a] = beta[a] - t * step[a];
      nextLoss = lossAt(next);
      if (nextLoss <= loss * (1 + 1e-12) + 1e-12) break;
    }
    beta.set(next);
    if (abs(previous - loss) <= 1e-10 * max(1, abs(loss))) break;
    previous = loss;
    loss = nextLoss;
  }
  return { weights: Array.from(beta.subarray(0, d)), intercept: beta[d] };
}

/** −log p(y | z) for a logistic z, exact where p underflows: log(1 + e^−z) for y = 1, log(1 + e^z) for y = 0. */
function logLoss(z: number, y: number): number {
  const m = y ? -z : z;
  return m > 0 ? m + Math.log1p(exp(-m)) : Math.log1p(exp(m));
}

/** Solves A s = b for a symmetric positive-definite A (n × n, row-major) by Cholesky. */
function solveSymmetric(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      if (i === j) l[i * n + i] = Math.sqrt(max(s, 1e-12));
      else l[i * n + j] = s / l[j * n + j];
    }
  }
  const z = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * z[k];
    z[i] = s / l[i * n + i];
  }
  const out = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = z[i];
    for (let k = i + 1; k < n; k++) s -= l[k * n + i] * out[k];
    out[i] = s / l[i * n + i];
  }
  return out;
}
