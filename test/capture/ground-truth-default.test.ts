import { defineGroundTruthTests } from './ground-truth.test-support';

// The backend `retrace run` picks by itself (the LD_PRELOAD interposer for dynamic programs).
defineGroundTruthTests('default');
