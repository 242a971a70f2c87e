export { rhythmConfig, defaultRhythmConfig, type RhythmConfig } from './config.ts';
export { RhythmEngine } from './engine.ts';
export { rhythmEvents } from './operator.ts';
export * from './types.ts';
