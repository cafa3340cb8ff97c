// Canvas drawing: rows of digits, the latent map, one decoded digit.
import { PALETTE } from '@aekit/data';

const SIDE = 28;
const PIXELS = SIDE * SIDE;
const GAP = 2;
/** Paper and ink: a pixel of value v is mixed from these two colours. */
const PAPER = [255, 255, 255];
const INK = [17, 24, 39];

function ink(data: Uint8ClampedArray, at: number, value: number): void {
  const v = Math.min(1, Math.max(0, value));
  for (let c = 0; c < 3; c++) data[at + c] = PAPER[c] + (INK[c] - PAPER[c]) * v;
  data[at + 3] = 255;
}

/**
 * Draws rows of digits (each row `columns` digits of 784 values in [0, 1]) on
 * `canvas`, one canvas pixel per image pixel with a thin gap; CSS scales it up.
 */
export function drawDigitRows(canvas: HTMLCanvasElement, rows: Float32Array[], columns: number): void {
  canvas.width = columns * SIDE + (columns - 1) * GAP;
  canvas.height = rows.length * SIDE + (rows.length - 1) * GAP;
  const context = canvas.getContext('2d')!;
  const image = context.createImageData(canvas.width, canvas.height);
  image.data.fill(0); // the gaps stay transparent
  rows.forEach((row, r) => {
    for (let d = 0; d < columns; d++) {
      const x0 = d * (SIDE + GAP);
      const y0 = r * (SIDE + GAP);
      for (let i = 0; i < PIXELS; i++) {
        const at = ((y0 + Math.floor(i / SIDE)) * canvas.width + x0 + (i % SIDE)) * 4;
        ink(image.data, at, row[d * PIXELS + i]);
      }
    }
  });
  context.putImageData(image, 0, 0);
}

/** One digit of 784 values on `canvas`. */
export function drawDigit(canvas: HTMLCanvasElement, pixels: Float32Array): void {
  drawDigitRows(canvas, [pixels], 1);
}

/**
 * The square of the code plane the latent map shows, `[-extent, extent]` on
 * both axes: wide enough for every code (a VAE pulls them towards N(0, 1),
 * but early in training they lie further out), between 3 and 8.
 */
export function latentExtent(codes: Float32Array | undefined): number {
  let widest = 0;
  for (const v of codes ?? []) if (Number.isFinite(v)) widest = Math.max(widest, Math.abs(v));
  return Math.min(8, Math.max(3, Math.ceil(widest * 1.05)));
}

/** Canvas coordinates of code `(z1, z2)` (z2 up) and back. */
export function latentToCanvas(canvas: HTMLCanvasElement, extent: number, z: [number, number]): [number, number] {
  const s = canvas.width / (2 * extent);
  return [(z[0] + extent) * s, (extent - z[1]) * s];
}

export function canvasToLatent(canvas: HTMLCanvasElement, extent: number, x: number, y: number): [number, number] {
  const s = (2 * extent) / canvas.width;
  return [x * s - extent, extent - y * s];
}

/**
 * The latent map over `[-extent, extent]²`: each test digit's 2-D code as a
 * dot coloured by its label, over a grid at whole numbers, with a cross at
 * `marker` (the walk's position).
 */
export function drawLatentMap(canvas: HTMLCanvasElement, extent: number, codes: Float32Array | undefined, labels: Uint8Array, marker: [number, number]): void {
  const context = canvas.getContext('2d')!;
  const { width, height } = canvas;
  context.fillStyle = '#fff';
  context.fillRect(0, 0, width, height);
  context.lineWidth = 1;
  for (let g = -extent; g <= extent; g++) {
    const [x, y] = latentToCanvas(canvas, extent, [g, g]);
    context.strokeStyle = g === 0 ? '#9ca3af' : '#e5e7eb';
    context.beginPath();
    context.moveTo(Math.round(x) + 0.5, 0);
    context.lineTo(Math.round(x) + 0.5, height);
    context.moveTo(0, Math.round(y) + 0.5);
    context.lineTo(width, Math.round(y) + 0.5);
    context.stroke();
  }
  if (codes) {
    context.globalAlpha = 0.75;
    for (let i = 0; i < codes.length / 2; i++) {
      const [x, y] = latentToCanvas(canvas, extent, [codes[2 * i], codes[2 * i + 1]]);
      context.fillStyle = PALETTE[labels[i] % PALETTE.length];
      context.beginPath();
      context.arc(x, y, 2.2, 0, 2 * Math.PI);
      context.fill();
    }
    context.globalAlpha = 1;
  }
  const [mx, my] = latentToCanvas(canvas, extent, marker);
  context.strokeStyle = '#111827';
  context.lineWidth = 2;
  context.beginPath();
  context.moveTo(mx - 8, my);
  context.lineTo(mx + 8, my);
  context.moveTo(mx, my - 8);
  context.lineTo(mx, my + 8);
  context.stroke();
}
