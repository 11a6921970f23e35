export { evaluateRouter, type EvaluateOptions, type RouterEvaluation } from './evaluate';
export { parseCsv, CsvError } from './csv';
export { loadRoutingData, labelRows, resolveColumn, csvFilesAt, parseRoutingCsv, RouteDataError, type LabelledPrompt, type RawRoutingRow, type RoutingData } from './dataset';
export type { CurvePoint } from './curve';
