export {
  buildCrds,
  CRD_CATEGORIES,
  type CustomResourceDefinition,
  crdFileName,
  type PrinterColumn,
  renderCrd,
} from './build-crds.ts';
export { type SchemaNode, toStructuralSchema } from './to-structural-schema.ts';
