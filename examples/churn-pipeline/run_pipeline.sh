#!/bin/sh
# One day of the churn pipeline, each stage captured by `retrace run`. Run it under a pipeline
# run so the stages link to it:
#   retrace run --pipeline churn-daily -- sh run_pipeline.sh 7 7 3
# DAY = the raw delivery to ingest, FEATURE_VERSION = the feature table version to pin,
# MODEL = the model version to create.
set -e
DAY=$1 FEATURE_VERSION=$2 MODEL=$3
retrace run --stage ingest -- python3 pipeline/ingest.py "$DAY"
retrace run --stage features -- python3 pipeline/features.py
retrace run --stage training_set -- python3 pipeline/training_set.py "$FEATURE_VERSION" "Churn_Training_Datasets/churn_td_$FEATURE_VERSION"
retrace run --stage train -- python3 pipeline/train.py "Churn_Training_Datasets/churn_td_$FEATURE_VERSION" "Models/churn/$MODEL" "Experiments/application_1767225600_$(printf %04d "$MODEL")_1"
retrace run --stage evaluate -- python3 pipeline/evaluate.py "Models/churn/$MODEL"
retrace run --stage promote -- python3 pipeline/promote.py "Models/churn/$MODEL"
