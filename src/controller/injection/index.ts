// Public API of the sidecar injection (mutating admission webhook). The controller process serves
// createInjectionHandler at ControllerPaths.injectAgent with the AdmissionServer of src/kube.

export { DEFAULT_AGENT_RESOURCES, IGNITION_UID } from './agent-container.ts';
export { agentImage, DEFAULT_AGENT_IMAGE } from './agent-image.ts';
export { API_ACCESS_PATH, secretVolumeName } from './agent-volumes.ts';
export { IGNITION_DATA_PATH } from './data-volume.ts';
export { createInjectionHandler, type InjectionHandlerOptions } from './injection-handler.ts';
export { type InjectionPlan, type PlanInjectionInput, planInjection } from './plan-injection.ts';
