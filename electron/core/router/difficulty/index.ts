export type { DifficultyModel, DifficultyExample, ObservedOutcome, TrainDifficultyOptions, OutcomeOptions } from './model';
export { HashedDifficultyModel, trainDifficulty, updateFromOutcome, recordOutcome } from './model';
export { serializeDifficulty, deserializeDifficulty, type StoredDifficultyModel } from './serialize';
