export * from './simulator-server';
export * from './ies.simulator';
export * from './squad.simulator';
export * from './mono.simulator';
export * from './simulators';
export * from './control';
