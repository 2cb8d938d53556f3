import { defineGroundTruthTests } from './ground-truth.test-support';

// strace forced for every case (RETRACE_TRACER=strace), the backend used where the interposer cannot be.
defineGroundTruthTests('strace');
