/**
 * Folds parsed records into the store's entities (DESIGN §3): events of one run id make one
 * run (a facet emitted again replaces the earlier one; inputs/outputs accumulate), datasets
 * and files become artifacts with versions, and every read/write becomes an access keyed
 * to an artifact *version*.
 */
import type { RunState } from '../../shared/dto';
import {
  codeInfo, commandInfo, datasetVersion, environmentInfo, errorMessage, facetText, footprintOps, lifecycleOp,
  outputStats, ownerFromJob, parentRunId, previousIdentifier, tagsOf,
} from './facets';
import { type ArtifactClassifier, normalisePath } from './naming';
import {
  type AccessOp, type AppStateRecord, type DatasetRef, type Facets, type FileOpRecord, type OlRunRecord,
  type ProvenanceRecord, type WarningKind, TERMINAL_STATES,
} from './records';
import { type ArtifactEntity, type FtsDoc, type RunEntity, accessKey } from './entities';
import { type DatasetNamer, recordColumnFacets } from './column-facets';
import type { ProvenanceStore } from './store';

export interface EventPlace {
  readonly sourceId: number;
  readonly line: number;
  readonly offset: number;
  readonly hash: string;
}

type Origin = 'input' | 'output' | 'footprint' | 'file_op';

export class RecordApplier {
  private readonly namer: DatasetNamer = (ns, name) => this.datasetIdentity(ns, name);

  constructor(
    private readonly store: ProvenanceStore,
    private readonly root: string,
    private readonly classifier: ArtifactClassifier,
  ) {}

  apply(rec: ProvenanceRecord, warnings: readonly WarningKind[], place: EventPlace): void {
    const seq = this.store.nextSeq++;
    for (const w of warnings) this.store.warn(w);
    let run: RunEntity | null = null;
    let eventType: string | null = null;
    let time: number;
    switch (rec.kind) {
      case 'ol_run':
        run = this.applyRun(rec, seq);
        eventType = rec.eventType;
        time = rec.eventTime;
        break;
      case 'ol_job': {
        const job = this.store.job(rec.jobNamespace, rec.jobName);
        this.mergeJobFacets(job, rec.jobFacets);
        for (const d of [...rec.inputs, ...rec.outputs]) this.datasetArtifact(d, seq);
        time = rec.eventTime;
        break;
      }
      case 'ol_dataset':
        this.datasetArtifact(rec.dataset, seq);
        time = rec.eventTime;
        break;
      case 'file_op':
        run = this.applyFileOp(rec, seq);
        eventType = rec.rawOp;
        time = rec.at;
        break;
      case 'app_state':
        run = this.applyAppState(rec, seq);
        eventType = rec.rawState;
        time = rec.at;
        break;
    }
    this.store.pending.events.add({ seq, source_id: place.sourceId, line: place.line, byte_offset: place.offset, hash: place.hash, kind: rec.kind,
      event_type: eventType, event_time: time, run_id: run?.id ?? null });
    this.store.summary.events++;
  }

  private applyRun(rec: OlRunRecord, seq: number): RunEntity {
    const st = this.store;
    const run = st.findRun(rec.runId) ?? st.createRun(rec.runId, 'openlineage', seq, rec.eventTime, rec.eventType);
    const job = st.job(rec.jobNamespace, rec.jobName);
    this.mergeJobFacets(job, rec.jobFacets);
    run.jobId = job.id;
    run.jobLabel = `${job.namespace} ${job.name}`;
    // Counted once per run, at its first ending: the spec requires a START before it.
    if (TERMINAL_STATES.has(rec.eventType) && run.endSeq === null && run.startedAt === null && rec.eventType !== 'START') {
      st.warn('complete_without_start');
    }
    this.setState(run, rec.eventType, rec.eventTime, seq);
    st.searchRuns.add(run);
    Object.assign(run.facets, rec.runFacets);
    // The footprint is stored as accesses; keeping its ops in the facets JSON as well made the
    // runs table the biggest one in the DB (and the run UPDATEs the slowest writes).
    delete run.facets.retrace_footprint;
    this.deriveRunColumns(run, rec.runFacets, rec.jobFacets, job.facets);

    const keys = st.accessKeys(run);
    // Footprint first: its content hashes name the versions that the dataset lists only mention.
    const fp = footprintOps(rec.runFacets);
    if (fp) {
      if (fp.invalid) st.warn('invalid_footprint_op', fp.invalid);
      for (const o of fp.ops) {
        const a = this.fileArtifact('file', o.path, seq);
        const write = o.op === 'CREATE' || o.op === 'MODIFY' || o.op === 'RENAME';
        const v = this.version(a, o.hashAfter, write, run, seq, o.at ?? rec.eventTime, o.size, null);
        const from = o.renamedFrom ? this.fileArtifact('file', o.renamedFrom, seq).id : null;
        run.touched.set(a.id, v);
        if (o.op === 'CREATE') run.created.add(a.id);
        this.access(run, keys, 'footprint', a, v, o.op, o.op, o.at ?? rec.eventTime, seq, from);
      }
    }
    const hasDatasets = rec.inputs.length + rec.outputs.length > 0;
    if (!hasDatasets && run.hadDatasets && TERMINAL_STATES.has(rec.eventType)) st.warn('datasets_only_on_start');
    if (hasDatasets) run.hadDatasets = true;
    for (const d of rec.inputs) {
      const a = this.datasetArtifact(d, seq);
      const explicit = datasetVersion(d.facets);
      const v = explicit === null && run.touched.has(a.id)
        ? run.touched.get(a.id)!
        : this.version(a, explicit, false, run, seq, rec.eventTime, null, null);
      this.access(run, keys, 'input', a, v, 'READ', 'READ', rec.eventTime, seq, null);
      if (d.facets.schema !== undefined) recordColumnFacets(this.store, run, a.id, 'input', d.facets, seq, this.namer);
    }
    for (const d of rec.outputs) {
      const a = this.datasetArtifact(d, seq);
      const life = lifecycleOp(d.facets);
      // Without a lifecycle facet: a create when nothing was known before this run, else a modification.
      const op: AccessOp = life ?? (a.currentVersionId === null || run.created.has(a.id) ? 'CREATE' : 'MODIFY');
      if (op === 'CREATE') run.created.add(a.id);
      const stats = outputStats(d.ioFacets);
      let renamedFrom: number | null = null;
      const prev = life === 'RENAME' ? previousIdentifier(d.facets) : null;
      if (prev) renamedFrom = this.datasetArtifact({ namespace: prev.namespace, name: prev.name, facets: {}, ioFacets: {} }, seq).id;
      const explicit = datasetVersion(d.facets);
      const v = op === 'DELETE'
        ? this.version(a, null, false, run, seq, rec.eventTime, null, null)
        : explicit === null && run.touched.has(a.id)
          ? this.touchStats(run.touched.get(a.id)!, stats.size, stats.rowCount)
          : this.version(a, explicit, true, run, seq, rec.eventTime, stats.size, stats.rowCount);
      run.touched.set(a.id, v);
      this.access(run, keys, 'output', a, v, op, life ? `lifecycle:${op}` : 'OUTPUT', rec.eventTime, seq, renamedFrom);
      if (d.facets.schema !== undefined || d.facets.columnLineage !== undefined) recordColumnFacets(this.store, run, a.id, 'output', d.facets, seq, this.namer);
    }
    return run;
  }

  private applyFileOp(rec: FileOpRecord, seq: number): RunEntity | null {
    const st = this.store;
    let run: RunEntity | null = null;
    if (rec.appId) {
      run = st.findRun(rec.appId) ?? st.createRun(rec.appId, 'hopsworks', seq, rec.at, 'RUNNING');
      run.lastSeq = seq;
      run.lastEventAt = Math.max(run.lastEventAt, rec.at);
      if (run.user === null && rec.user) {
        run.user = rec.user;
        st.searchRuns.add(run);
      }
      st.dirtyRuns.add(run);
    }
    const a = this.fileArtifact('hopsfs', rec.path, seq);
    const write = rec.op === 'CREATE' || rec.op === 'MODIFY';
    const v = this.version(a, null, write, run, seq, rec.at, null, null);
    this.access(run, null, 'file_op', a, v, rec.op, rec.rawOp, rec.at, seq, null);
    return run;
  }

  private applyAppState(rec: AppStateRecord, seq: number): RunEntity {
    const st = this.store;
    const run = st.findRun(rec.appId) ?? st.createRun(rec.appId, 'hopsworks', seq, rec.at, rec.state);
    if (rec.name) {
      run.jobId = st.job('hopsworks', rec.name).id;
      run.jobLabel = `hopsworks ${rec.name}`;
    }
    if (rec.user) run.user = rec.user;
    const start = rec.startTime ?? rec.submitTime;
    if (start !== null) run.startedAt = start;
    this.setState(run, rec.state, rec.at, seq);
    st.searchRuns.add(run);
    if (rec.finishTime !== null && TERMINAL_STATES.has(rec.state)) run.endedAt = rec.finishTime;
    return run;
  }

  /** Terminal states stick (a late RUNNING never reopens a run); the first ending gets a sequence number. */
  private setState(run: RunEntity, state: RunState, at: number, seq: number): void {
    const st = this.store;
    run.lastSeq = seq;
    run.lastEventAt = Math.max(run.lastEventAt, at);
    if (state === 'START' && (run.startedAt === null || at < run.startedAt)) run.startedAt = at;
    const terminal = TERMINAL_STATES.has(state);
    if (terminal) {
      if (run.endSeq === null) {
        run.endSeq = st.nextEndSeq++;
        st.pending.endings.add({ seq: run.endSeq, run_id: run.id, state, at, event_seq: seq });
        run.state = state;
        run.stateAt = at;
        run.endedAt = at;
      } else if (at >= run.stateAt) {
        run.state = state;
        run.stateAt = at;
        run.endedAt = at;
      }
    } else if (run.endSeq === null && state !== 'OTHER' && (at >= run.stateAt || run.state === 'OTHER')) {
      run.state = state;
      run.stateAt = at;
    }
    st.dirtyRuns.add(run);
  }

  private deriveRunColumns(run: RunEntity, newRunFacets: Facets, eventJobFacets: Facets, jobFacets: Facets): void {
    const st = this.store;
    if ('parent' in newRunFacets) {
      run.parentRunUuid = parentRunId(run.facets);
      if (run.parentRunUuid === null) st.warn('invalid_facet');
    }
    if ('errorMessage' in newRunFacets) run.errorMessage = errorMessage(run.facets);
    const cmd = 'retrace_command' in newRunFacets ? commandInfo(run.facets) : null;
    if (cmd) {
      run.command = cmd.argv ? JSON.stringify(cmd.argv) : null;
      run.cwd = cmd.cwd;
      run.exitCode = cmd.exitCode;
    }
    const env = 'retrace_environment' in newRunFacets || 'processing_engine' in newRunFacets || 'environment-properties' in newRunFacets
      ? environmentInfo(run.facets) : null;
    if (env) {
      run.environmentId = st.environmentId(env.hash, () => [env.os, env.arch, env.interpreter, env.interpreterVersion, env.engine,
        env.engineVersion, JSON.stringify(env.variables)], env.packages);
      if (env.user) run.user = env.user;
      if (env.host) run.host = env.host;
    }
    if (run.user === null) run.user = ownerFromJob(jobFacets);
    const code = codeInfo(eventJobFacets);
    if (code) {
      run.codeVersionId = st.codeVersionId(code.hash, () => ({ git_sha: code.gitSha, repo_url: code.repoUrl, url: code.url, path: code.path,
        branch: code.branch, dirty_diff_hash: code.dirtyDiffHash, files: JSON.stringify(code.files) }));
    }
  }

  private mergeJobFacets(job: ReturnType<ProvenanceStore['job']>, facets: Facets): void {
    if (Object.keys(facets).length === 0) return;
    Object.assign(job.facets, facets);
    const json = JSON.stringify(job.facets);
    if (json !== job.facetsJson) {
      job.facetsJson = json;
      this.store.dirtyJobs.add(job);
    }
  }

  /** OpenLineage dataset → artifact; `file`/`file://host` namespaces share identity with footprint paths. */
  private datasetArtifact(d: DatasetRef, seq: number): ArtifactEntity {
    let a: ArtifactEntity;
    if (isFileNamespace(d.namespace)) {
      const name = d.name.replace(/^file:\/\/[^/]*/, '');
      a = this.fileArtifact('file', name, seq, 'dataset');
    } else {
      const path = d.namespace.includes('://') ? `${d.namespace.replace(/\/+$/, '')}/${d.name.replace(/^\/+/, '')}` : null;
      a = this.store.artifact(d.namespace, d.name, () => ({ path, kind: 'dataset', rollupId: null }), seq);
    }
    if (Object.keys(d.facets).length > 0) {
      // Column lineage is kept per run and version (column_facets), not as the artifact's
      // latest facet: merged here it would be re-serialised and re-indexed on every write.
      const { columnLineage: _perVersion, ...rest } = d.facets;
      Object.assign(a.facets, rest);
      const json = JSON.stringify(a.facets);
      if (json !== a.facetsJson) {
        a.facetsJson = json;
        const tags = tagsOf(a.facets);
        if (tags.length) a.tags = tags;
        this.store.dirtyArtifacts.add(a);
        this.store.searchArtifacts.add(a);
      }
    }
    return a;
  }

  /**
   * The identity (`namespace`, `name`) a dataset named in an event gets as an artifact: file
   * namespaces share the footprint's workspace-relative paths. Column-lineage input fields are
   * named the same way, so an edge finds the artifact the graph draws.
   */
  datasetIdentity(namespace: string, name: string): readonly [string, string] {
    if (!isFileNamespace(namespace)) return [namespace, name];
    let p = normalisePath(name.replace(/^file:\/\/[^/]*/, ''));
    if (p.startsWith(this.root + '/')) p = p.slice(this.root.length + 1);
    return ['file', p];
  }

  /** A file path → artifact, kinded by the naming rules and rolled up to its artifact folder. */
  private fileArtifact(namespace: string, rawPath: string, seq: number, defaultKind = 'file'): ArtifactEntity {
    let path = normalisePath(rawPath);
    if (path.startsWith(this.root + '/')) path = path.slice(this.root.length + 1);
    return this.store.artifact(namespace, path, () => {
      const cls = this.classifier.classify(path);
      const rollupId = cls.rollup
        ? this.store.artifact(namespace, cls.rollup.path, () => ({ path: cls.rollup!.path, kind: cls.rollup!.kind, rollupId: null }), seq).id
        : null;
      return { path, kind: cls.kind === 'file' && !cls.rollup ? defaultKind : cls.kind, rollupId };
    }, seq);
  }

  /**
   * The version an access refers to: an explicit one (content hash, dataset version) when
   * given; for a write without one, the run's own implicit version `run:<runId>`; for a read
   * without one, the artifact's current version (or `initial` when none is known yet).
   */
  private version(a: ArtifactEntity, explicit: string | null, write: boolean, run: RunEntity | null, seq: number, at: number,
    size: number | null, rowCount: number | null): number {
    const st = this.store;
    let label: string;
    let kind: string;
    if (explicit) {
      label = explicit;
      kind = explicit.includes(':') || /^[0-9a-f]{32,}$/i.test(explicit) ? 'hash' : 'dataset_version';
    } else if (write) {
      label = run ? `run:${run.uuid}` : `seq:${seq}`;
      kind = 'run';
    } else if (a.currentVersionId !== null) {
      return a.currentVersionId;
    } else {
      label = 'initial';
      kind = 'initial';
    }
    const versions = st.versionsOf(a);
    let id = versions.get(label);
    if (id === undefined) {
      id = st.newId('version');
      versions.set(label, id);
      st.addVersion(id, a.id, label, kind, size, rowCount, write ? (run?.id ?? null) : null, at, seq);
      st.summary.newVersions++;
    } else {
      st.versionStats(id, size, rowCount);
    }
    // An observed content hash is the artifact's state from now on, even when only read.
    if ((write || explicit || a.currentVersionId === null) && a.currentVersionId !== id) {
      a.currentVersionId = id;
      st.dirtyArtifacts.add(a);
    }
    return id;
  }

  private touchStats(versionId: number, size: number | null, rowCount: number | null): number {
    this.store.versionStats(versionId, size, rowCount);
    return versionId;
  }

  private access(run: RunEntity | null, keys: Set<string> | null, origin: Origin, a: ArtifactEntity, versionId: number,
    op: AccessOp, rawOp: string, at: number | null, seq: number, renamedFrom: number | null): void {
    if (keys) {
      const k = accessKey(origin, a.id, op, versionId);
      if (keys.has(k)) return;
      keys.add(k);
    }
    const st = this.store;
    st.pending.accesses.add({ id: st.newId('access'), run_id: run?.id ?? null, artifact_id: a.id, version_id: versionId, op, raw_op: rawOp, origin, at, seq,
      renamed_from_id: renamedFrom });
    st.summary.accesses++;
  }

  /** Search documents for everything changed in this batch (rowid = id·4 + kind code). */
  ftsDocs(): FtsDoc[] {
    const st = this.store;
    const docs: FtsDoc[] = [];
    for (const r of st.searchRuns) {
      let argv = '';
      try { argv = r.command ? (JSON.parse(r.command) as string[]).join(' ') : ''; } catch { argv = ''; }
      docs.push({ rowid: r.id * 4 + 1, isNew: r.isNew, name: r.uuid, path: r.cwd ?? '', job: r.jobLabel ?? '',
        command: argv, user: [r.user, r.host].filter(Boolean).join(' '), tags: tagsOf(r.facets).join(' '), facets: facetText(r.facets) });
    }
    for (const a of st.searchArtifacts) {
      docs.push({ rowid: a.id * 4 + 2, isNew: a.isNew, name: `${a.namespace} ${a.name} ${a.kind}`, path: a.path ?? '',
        job: '', command: '', user: '', tags: a.tags.join(' '), facets: facetText(a.facets) });
    }
    for (const j of st.dirtyJobs) {
      docs.push({ rowid: j.id * 4 + 3, isNew: j.isNew, name: j.name, path: '', job: `${j.namespace} ${j.name}`,
        command: '', user: '', tags: tagsOf(j.facets).join(' '), facets: facetText(j.facets) });
    }
    return docs;
  }
}

function isFileNamespace(namespace: string): boolean {
  return namespace === 'file' || namespace.startsWith('file://') || namespace.startsWith('file.');
}
