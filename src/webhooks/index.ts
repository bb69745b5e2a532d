export * from './receiver/index.ts';
