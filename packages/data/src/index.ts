// Browser-safe entry point: nothing reachable from here may import `node:` modules.
export { parseIdx, IdxFormatError, IDX_TYPE_CODES, type IdxArray, type IdxDType, type IdxTypedArrays } from './idx.js';
export { gunzip, isGzip, crc32, GzipFormatError } from './gzip.js';
export {
  mnistFromIdx,
  loadMnistFromUrl,
  MNIST_FILES,
  type Mnist,
  type MnistSplit,
  type MnistLimits,
  type MnistIdxFiles,
  type LoadMnistFromUrlOptions,
} from './mnist.js';
export { imageGrid, scaleImage, type ImageGridOptions, type RasterImage } from './image-grid.js';
export { encodePng } from './png.js';
export { gaussianNoise, maskingNoise, saltAndPepperNoise } from './noise.js';
export { parseCsv, formatCsv, CsvFormatError, type CsvOptions, type CsvTable, type MissingCell, type FormatCsvOptions } from './csv.js';
export { fitStandardizer, standardizerFrom, type Standardizer } from './standardize.js';
export { slidingWindows, windowScoresToSteps, mergeWindows, type SlidingWindowOptions, type SlidingWindows } from './windows.js';
export { factorySensors, type FactorySensors, type FactorySensorsOptions, type SensorFault, type SensorFaultKind } from './sensors.js';
export { lineChart, lossCurves, type LineSeries, type LineChartOptions, type LossCurvesOptions } from './plot/line-chart.js';
export { scatterPlot, type ScatterPlotOptions } from './plot/scatter.js';
export { escapeXml, niceTicks, logTicks, PALETTE, type Axis, type Rule, type Band } from './plot/svg.js';
export { histogram, type HistogramGroup, type HistogramOptions } from './plot/histogram.js';
export { htmlReport, pngDataUrl, type ReportOptions, type ReportSection, type ReportFigure, type ReportTable } from './report/html.js';
