package io.openbio.processors.search;

import io.openbio.events.CollectionRecord;
import io.openbio.events.SearchHit;
import io.openbio.schemas.contract.CollectionKey;
import io.openbio.schemas.crypto.PayloadKeys;
import io.openbio.schemas.crypto.SealedPayloadException;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.VectorUtil;

/**
 * The approximate-nearest-neighbour index of ONE search shard (one partition of
 * {@code openbio.collection.records}): an Apache Lucene index whose templates are
 * {@link KnnFloatVectorField}s in an HNSW graph, scalar-quantized to int8.
 *
 * <h2>Why Lucene's HNSW (and not jvector or a home-made index)</h2>
 * <ul>
 *   <li><b>Speed.</b> HNSW answers a top-k query in a few hundred to a few thousand vector
 *       comparisons instead of one per template, so query time grows roughly with log(N); the graph
 *       search runs on the int8 copy of the vectors, and the candidates are re-scored here with the
 *       exact float cosine, which gives the recall of float HNSW at the cost of int8. Filtering (tenant,
 *       collection, model version, collection incarnation) is done INSIDE the graph search on a bit set
 *       of accepted documents; when a filter accepts few templates (a small collection) Lucene switches to
 *       an exact scan by itself, so small collections are always exact.</li>
 *   <li><b>Memory.</b> The int8 scalar-quantized HNSW format
 *       ({@link Lucene99HnswScalarQuantizedVectorsFormat}) makes the hot part of the index (quantized
 *       vectors + graph) about a quarter of the float vectors; the index lives in files (memory-mapped
 *       from the Kafka Streams state directory), so it is off the Java heap and the OS keeps the hot part
 *       in its page cache. Deletes and updates are Lucene's ordinary deletes + background merges.</li>
 *   <li><b>Long-term value.</b> Lucene is the Apache Software Foundation's search library, maintained
 *       for 25 years, behind Elasticsearch/OpenSearch/Solr vector search; its HNSW and quantization are
 *       under constant work (SIMD through the Panama vector API on newer JDKs, better quantization).
 *       Its on-disk formats are versioned and read back by the next major version. jvector (DataStax) is
 *       a good alternative with a smaller community; the shard API here hides which one is used.</li>
 * </ul>
 * Lucene 9.12 is used because Lucene 10 needs Java 21 and this platform runs Java 17 (9.x on 17 has no
 * SIMD vector code: moving to Java 21 + Lucene 10 is the next speed step, with no change to this API).
 *
 * <p>Two kinds: a derived index ({@link #open}, {@link #inMemory}: rebuilt from records, never committed,
 * its folder wiped when opened; the benchmarks and {@link #rebuild}) and the {@code search} stage's
 * state store itself ({@link #persistent}: every document also holds its record's serialized bytes
 * ({@link #put}, {@link #value}), the folder is reopened as it was last {@link #commit committed}; see
 * {@link ShardStore}). Not thread-safe for writers: one Kafka Streams task (one thread) owns it, and
 * only {@link #rebuild} and {@link #put}/{@link #remove} from a store's restore batch index on several
 * threads at once; Lucene's merges run in background threads.
 */
public final class ShardIndex implements Closeable {
    static final String ID = "id";
    static final String COLLECTION = "collection";
    static final String MODEL = "model";
    static final String CREATED = "created";
    static final String VECTOR_PREFIX = "vector";
    /** The record's serialized bytes (stored, not indexed) in a {@link #persistent} index. */
    static final String VALUE = "value";

    /**
     * Index parameters. {@code m}: graph neighbours per node (HNSW M); {@code beamWidth}: candidates
     * examined when inserting; {@code efSearch}: candidates the graph search collects per query before
     * exact re-scoring (at least the query's limit); {@code ramBufferMb}: indexing buffer (a rebuild with
     * a large buffer yields one segment, i.e. one graph to search); {@code quantized}: int8 HNSW (else
     * float HNSW); {@code mergeWorkers}: threads that build merged graphs.
     */
    public record Settings(int m, int beamWidth, int efSearch, double ramBufferMb, boolean quantized, int mergeWorkers) {
        public static final Settings DEFAULT = new Settings(16, 100, 100, 512, true, 1);

        public Settings withEfSearch(int ef) {
            return new Settings(m, beamWidth, ef, ramBufferMb, quantized, mergeWorkers);
        }

        public Settings withRamBufferMb(double mb) {
            return new Settings(m, beamWidth, efSearch, mb, quantized, mergeWorkers);
        }
    }

    private final Directory directory;
    private final Path folder;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final Settings settings;
    private final boolean persistent;
    private volatile boolean dirty;

    private ShardIndex(Directory directory, Path folder, Settings settings) throws IOException {
        this(directory, folder, settings, false);
    }

    private ShardIndex(Directory directory, Path folder, Settings settings, boolean persistent) throws IOException {
        this.directory = directory;
        this.folder = folder;
        this.settings = settings;
        this.persistent = persistent;
        KnnVectorsFormat format = settings.quantized()
                ? new Lucene99HnswScalarQuantizedVectorsFormat(settings.m(), settings.beamWidth(), 1, 7, false, null, null)
                : new org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat(settings.m(), settings.beamWidth());
        IndexWriterConfig config = new IndexWriterConfig()
                .setOpenMode(persistent ? IndexWriterConfig.OpenMode.CREATE_OR_APPEND : IndexWriterConfig.OpenMode.CREATE)
                .setCommitOnClose(false)
                .setUseCompoundFile(false)
                .setRAMBufferSizeMB(persistent ? Math.min(settings.ramBufferMb(), STREAMING_RAM_BUFFER_MB) : settings.ramBufferMb())
                .setCodec(new Lucene912Codec() {
                    @Override
                    public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                        return format;
                    }
                });
        this.writer = new IndexWriter(directory, config);
        this.searchers = new SearcherManager(writer, true, false, null);
    }

    /** An index in {@code folder} (memory-mapped files; whatever the folder held is deleted first). */
    public static ShardIndex open(Path folder, Settings settings) {
        try {
            deleteRecursively(folder);
            Files.createDirectories(folder);
            return new ShardIndex(FSDirectory.open(folder), folder, settings);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the search index in " + folder, e);
        }
    }

    /**
     * The index in {@code folder} as it was last {@link #commit committed} (empty if none): a state store's
     * index ({@link ShardStore}), kept on close; its indexing buffer is {@link #STREAMING_RAM_BUFFER_MB}
     * from the start (a pod holds several shards, and a store commits at every Kafka Streams checkpoint).
     */
    public static ShardIndex persistent(Path folder, Settings settings) {
        try {
            Files.createDirectories(folder);
            return new ShardIndex(FSDirectory.open(folder), folder, settings, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the search index in " + folder, e);
        }
    }

    /**
     * Stores {@code value} (a record's serialized bytes) under {@code recordId}, replacing what was
     * there, and makes it searchable with {@code record}'s tenant, collection, model version, creation
     * time and vector; a null {@code record} or one whose vector does not open is stored but not
     * searchable (false). Safe from several threads at once (a store's restore batch); {@link #persistent} only.
     */
    public boolean put(String recordId, byte[] value, CollectionRecord record) {
        float[] unit = record == null ? null : normalised(vectorOf(record));
        Document doc = new Document();
        doc.add(new StringField(ID, recordId, Field.Store.YES));
        doc.add(new StoredField(VALUE, new BytesRef(value)));
        if (unit != null) {
            doc.add(new StringField(COLLECTION, collectionKey(record.getTenant(), record.getCollection()), Field.Store.NO));
            doc.add(new StringField(MODEL, record.getModelVersion(), Field.Store.NO));
            doc.add(new LongPoint(CREATED, record.getCreatedAt()));
            doc.add(new KnnFloatVectorField(vectorField(unit.length), unit, VectorSimilarityFunction.DOT_PRODUCT));
        }
        try {
            writer.updateDocument(new Term(ID, recordId), doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        dirty = true;
        return unit != null;
    }

    /** Removes {@code recordId} (searchable or not); safe from several threads at once. */
    public void remove(String recordId) {
        delete(recordId);
    }

    /** The bytes {@link #put} stored under {@code recordId}, or null; sees every write so far. */
    public byte[] value(String recordId) {
        refresh();
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                TopDocs found = searcher.search(new TermQuery(new Term(ID, recordId)), 1);
                if (found.scoreDocs.length == 0) {
                    return null;
                }
                BytesRef bytes = searcher.storedFields().document(found.scoreDocs[0].doc, Set.of(VALUE)).getBinaryValue(VALUE);
                return bytes == null ? null : Arrays.copyOfRange(bytes.bytes, bytes.offset, bytes.offset + bytes.length);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every stored record (id and bytes), in index order, as of now: the iterator reads from a point-in-time
     * reader, so writes meanwhile are not seen. Close it.
     */
    public StoredRecords stored() {
        refresh();
        try {
            return new StoredRecords(searchers.acquire());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An iterator over a point-in-time reader's stored records ({@link #stored()}). */
    public final class StoredRecords implements Iterator<Map.Entry<String, byte[]>>, Closeable {
        private final IndexSearcher searcher;
        private final List<LeafReaderContext> leaves;
        private int leaf;
        private int doc = -1;
        private Map.Entry<String, byte[]> next;
        private boolean released;

        private StoredRecords(IndexSearcher searcher) {
            this.searcher = searcher;
            this.leaves = searcher.getIndexReader().leaves();
        }

        @Override
        public boolean hasNext() {
            try {
                while (next == null && leaf < leaves.size()) {
                    LeafReaderContext context = leaves.get(leaf);
                    doc++;
                    if (doc >= context.reader().maxDoc()) {
                        leaf++;
                        doc = -1;
                        continue;
                    }
                    Bits live = context.reader().getLiveDocs();
                    if (live != null && !live.get(doc)) {
                        continue;
                    }
                    Document stored = context.reader().storedFields().document(doc, Set.of(ID, VALUE));
                    BytesRef bytes = stored.getBinaryValue(VALUE);
                    if (bytes != null) {
                        next = Map.entry(stored.get(ID), Arrays.copyOfRange(bytes.bytes, bytes.offset, bytes.offset + bytes.length));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return next != null;
        }

        @Override
        public Map.Entry<String, byte[]> next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            Map.Entry<String, byte[]> entry = next;
            next = null;
            return entry;
        }

        @Override
        public void close() {
            if (!released) {
                released = true;
                try {
                    searchers.release(searcher);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }

    /**
     * Makes every write so far durable (a Lucene commit; nothing when nothing changed): a store's
     * {@code flush()}, after which Kafka Streams checkpoints the changelog offset the index holds.
     */
    public void commit() {
        try {
            if (writer.hasUncommittedChanges()) {
                writer.commit();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An index on the Java heap (tests, small shards). */
    public static ShardIndex inMemory(Settings settings) {
        try {
            return new ShardIndex(new ByteBuffersDirectory(), null, settings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds or replaces the record {@code record.getRecordId()}; false (nothing indexed) for an unusable vector. */
    public boolean upsert(CollectionRecord record) {
        return upsert(record.getRecordId(), record.getTenant(), record.getCollection(), record.getModelVersion(),
                record.getCreatedAt(), vectorOf(record));
    }

    /** Adds or replaces one template; false (and any older version removed) for an unusable vector. */
    public boolean upsert(String recordId, String tenant, String collection, String modelVersion, long createdAt, float[] vector) {
        if (!write(recordId, tenant, collection, modelVersion, createdAt, vector)) {
            delete(recordId);
            return false;
        }
        dirty = true;
        return true;
    }

    /**
     * Rebuilds the index from {@code records} (each id at most once, as a key-value store iterates)
     * with {@code threads} indexing threads; returns how many were indexed (records with an unusable
     * vector are skipped). The caller's thread reads the records and hands batches of
     * {@link #REBUILD_BATCH} to the threads, at most two batches per thread in flight. Lucene's
     * {@link IndexWriter} is thread-safe and gives every indexing thread its own in-memory segment, so
     * the HNSW graphs of a shard are built in parallel, one segment per thread. A query searches every
     * segment's graph (two segments: about twice the graph search), so call {@link #mergeInBackground()}
     * once the pod's rebuilds are done. Call before any other write.
     */
    public int rebuild(Iterator<CollectionRecord> records, int threads) {
        if (threads <= 1) {
            dirty = true;
            return indexAll(records);
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "search-rebuild");
            thread.setDaemon(true);
            return thread;
        });
        Semaphore inFlight = new Semaphore(2 * threads);
        List<Future<Integer>> batches = new ArrayList<>();
        try {
            List<CollectionRecord> batch = new ArrayList<>(REBUILD_BATCH);
            while (records.hasNext()) {
                CollectionRecord record = records.next();
                if (record != null) {
                    batch.add(record);
                }
                if (batch.size() == REBUILD_BATCH || (!records.hasNext() && !batch.isEmpty())) {
                    List<CollectionRecord> work = batch;
                    batch = new ArrayList<>(REBUILD_BATCH);
                    inFlight.acquireUninterruptibly();
                    batches.add(pool.submit(() -> {
                        try {
                            return indexAll(work.iterator());
                        } finally {
                            inFlight.release();
                        }
                    }));
                }
            }
            int count = 0;
            for (Future<Integer> done : batches) {
                count += done.get();
            }
            writer.flush();
            return count;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("search index rebuild interrupted", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("search index rebuild failed", cause);
        } finally {
            pool.shutdownNow();
            dirty = true;
        }
    }

    /** Records per hand-off to a rebuild thread. */
    static final int REBUILD_BATCH = 256;

    /** Indexes every (non-null) record; how many had a usable vector. Safe from several threads at once. */
    private int indexAll(Iterator<CollectionRecord> records) {
        int indexed = 0;
        while (records.hasNext()) {
            CollectionRecord r = records.next();
            if (r != null && write(r.getRecordId(), r.getTenant(), r.getCollection(), r.getModelVersion(),
                    r.getCreatedAt(), vectorOf(r))) {
                indexed++;
            }
        }
        return indexed;
    }

    /**
     * Adds or replaces one template; false (nothing written) for an unusable vector. Does not touch
     * {@link #dirty}, so it is safe from several threads at once (Lucene's writer is).
     */
    private boolean write(String recordId, String tenant, String collection, String modelVersion, long createdAt, float[] vector) {
        float[] unit = normalised(vector);
        if (unit == null) {
            return false;
        }
        Document doc = new Document();
        doc.add(new StringField(ID, recordId, Field.Store.YES));
        doc.add(new StringField(COLLECTION, collectionKey(tenant, collection), Field.Store.NO));
        doc.add(new StringField(MODEL, modelVersion, Field.Store.NO));
        doc.add(new LongPoint(CREATED, createdAt));
        doc.add(new KnnFloatVectorField(vectorField(unit.length), unit, VectorSimilarityFunction.DOT_PRODUCT));
        try {
            writer.updateDocument(new Term(ID, recordId), doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return true;
    }

    public void delete(String recordId) {
        try {
            writer.deleteDocuments(new Term(ID, recordId));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        dirty = true;
    }

    /**
     * The {@code limit} templates most similar (cosine) to {@code vector} among those of
     * {@code tenant}/{@code collection} with model version {@code modelVersion} created at or after
     * {@code createdFrom}; best first (ties by record id).
     */
    public List<SearchHit> search(String tenant, String collection, String modelVersion, long createdFrom,
                                  List<Float> vector, int limit) {
        return search(tenant, collection, modelVersion, createdFrom, toArray(vector), limit);
    }

    public List<SearchHit> search(String tenant, String collection, String modelVersion, long createdFrom,
                                  float[] vector, int limit) {
        return search(tenant, collection, modelVersion, createdFrom, vector, limit, settings.efSearch());
    }

    /** As {@link #search(String, String, String, long, float[], int)} with {@code efSearch} graph candidates. */
    public List<SearchHit> search(String tenant, String collection, String modelVersion, long createdFrom,
                                  float[] vector, int limit, int efSearch) {
        float[] query = normalised(vector);
        if (query == null) {
            throw new IllegalArgumentException("query vector is empty, not finite or zero");
        }
        if (limit <= 0) {
            return List.of();
        }
        refresh();
        Query filter = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(COLLECTION, collectionKey(tenant, collection))), BooleanClause.Occur.FILTER)
                .add(new TermQuery(new Term(MODEL, modelVersion)), BooleanClause.Occur.FILTER)
                .add(LongPoint.newRangeQuery(CREATED, createdFrom, Long.MAX_VALUE), BooleanClause.Occur.FILTER)
                .build();
        String field = vectorField(query.length);
        int candidates = Math.max(limit, efSearch);
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                ScoreDoc[] found = searcher.search(new KnnFloatVectorQuery(field, query, candidates, filter), candidates).scoreDocs;
                return rescore(searcher, field, query, found, limit);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Exact cosine of the graph's candidates (from the stored float vectors), best {@code limit} with their ids. */
    private static List<SearchHit> rescore(IndexSearcher searcher, String field, float[] query, ScoreDoc[] found, int limit)
            throws IOException {
        ScoreDoc[] byDoc = found.clone();
        Arrays.sort(byDoc, Comparator.comparingInt(d -> d.doc));
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        List<ScoreDoc> scored = new ArrayList<>(byDoc.length);
        int leafIndex = -1;
        FloatVectorValues values = null;
        for (ScoreDoc hit : byDoc) {
            int leaf = ReaderUtil.subIndex(hit.doc, leaves);
            LeafReaderContext context = leaves.get(leaf);
            if (leaf != leafIndex) {
                leafIndex = leaf;
                values = context.reader().getFloatVectorValues(field);
            }
            int local = hit.doc - context.docBase;
            if (values == null || (values.docID() < local ? values.advance(local) : values.docID()) != local) {
                continue;
            }
            scored.add(new ScoreDoc(hit.doc, VectorUtil.dotProduct(query, values.vectorValue())));
        }
        scored.sort((a, b) -> Float.compare(b.score, a.score));
        List<SearchHit> hits = new ArrayList<>(Math.min(limit, scored.size()));
        var stored = searcher.storedFields();
        for (ScoreDoc doc : scored) {
            if (hits.size() == limit) {
                break;
            }
            String id = stored.document(doc.doc, Set.of(ID)).get(ID);
            hits.add(new SearchHit(id, Math.max(-1.0, Math.min(1.0, (double) doc.score))));
        }
        hits.sort(SearchGather.BEST_FIRST);
        return hits;
    }

    /**
     * Indexing buffer once a shard's rebuild is done: enrolments arriving one by one flush a segment
     * every this many MiB, so a pod that owns several shards and ingests many records between
     * queries holds at most this much per shard on the heap (with the rebuild's 512 MiB, six shards
     * could hold 3 GiB); the merge policy combines the small segments in the background.
     */
    public static final double STREAMING_RAM_BUFFER_MB = 32;

    /** After the rebuild: switches the writer to the small {@link #STREAMING_RAM_BUFFER_MB} buffer (a live setting). */
    public void streaming() {
        writer.getConfig().setRAMBufferSizeMB(Math.min(settings.ramBufferMb(), STREAMING_RAM_BUFFER_MB));
    }

    /** The writer's indexing buffer now, MiB. */
    public double ramBufferMb() {
        return writer.getConfig().getRAMBufferSizeMB();
    }

    /** Makes every upsert and delete so far visible to searches (cheap when nothing changed). */
    public void refresh() {
        try {
            if (!dirty) {
                // nothing written, but a background merge may have finished: look at most once a second
                long now = System.nanoTime();
                if (now - lastIdleRefresh >= IDLE_REFRESH_NANOS) {
                    lastIdleRefresh = now;
                    searchers.maybeRefresh();
                }
                return;
            }
            dirty = false; // before the reopen: a write meanwhile (a restore thread) marks it again
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final long IDLE_REFRESH_NANOS = 1_000_000_000L;
    private long lastIdleRefresh = System.nanoTime();

    /**
     * Starts merging the index into one segment (one graph) in Lucene's background merge thread and
     * returns: searches use the current segments until the merged one is ready, and the merged one from
     * the first {@link #refresh()} after it (at most a second later). Lucene's HNSW merge keeps the
     * largest segment's graph and inserts the others' vectors: after a two-thread rebuild about half a
     * one-thread rebuild of CPU, off the caller's thread. Nothing to do for a one-segment index.
     */
    public void mergeInBackground() {
        try {
            writer.forceMerge(1, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the index is one segment (joins the merge {@link #mergeInBackground()} started, or merges now); tests, benchmarks. */
    public void awaitMerged() {
        try {
            writer.forceMerge(1, true);
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Live documents in the index (after {@link #refresh()}): templates, and in a {@link #persistent} index records that are stored but not searchable too. */
    public int size() {
        refresh();
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return searcher.getIndexReader().numDocs();
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Segments of the current reader (one graph each: a query searches every one). */
    public int segments() {
        refresh();
        try {
            IndexSearcher searcher = searchers.acquire();
            try {
                return searcher.getIndexReader().leaves().size();
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bytes of the index files by extension (e.g. {@code vex} graph, {@code veq} int8 vectors, {@code vec} floats). */
    public java.util.Map<String, Long> bytesByFileType() {
        java.util.Map<String, Long> sizes = new java.util.TreeMap<>();
        try {
            for (String file : directory.listAll()) {
                int dot = file.lastIndexOf('.');
                String ext = dot < 0 ? file : file.substring(dot + 1);
                try {
                    sizes.merge(ext, directory.fileLength(file), Long::sum);
                } catch (IOException gone) {
                    // removed by a merge meanwhile
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sizes;
    }

    @Override
    public void close() {
        try {
            searchers.close();
            // a derived index: nothing to keep, it is rebuilt from the records on start; a persistent
            // one: what was committed stays (Kafka Streams flushes a store before a clean close)
            writer.rollback();
            directory.close();
            if (folder != null && !persistent) {
                deleteRecursively(folder);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The term of a collection: its {@link CollectionKey} (one '/' and an escaped name, so unambiguous).
     * A {@link #persistent} index keeps its terms (and fields, and vector format) across restarts and
     * standby takeovers: a version that changes them must have the search stage's state folders emptied,
     * so every shard is indexed again from its changelog.
     * Records carry tenants the collections stage made a key of, and the gateway validates a query's.
     */
    static String collectionKey(String tenant, String collection) {
        return new CollectionKey(tenant, collection).encoded();
    }

    static String vectorField(int dimension) {
        return VECTOR_PREFIX + dimension;
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ShardIndex.class);
    private static final AtomicBoolean PLAINTEXT_LOGGED = new AtomicBoolean();

    /**
     * The record's vector, opened (sealed for its tenant under its record id); null, so the record is
     * not indexed, for a record enrolled before payload encryption (no sealed vector: logged once per
     * process, re-enrol) or one that does not open (logged with its id and the reason only).
     */
    static float[] vectorOf(CollectionRecord record) {
        java.nio.ByteBuffer sealed = record.getSealedVector();
        if (sealed == null) {
            if (PLAINTEXT_LOGGED.compareAndSet(false, true)) {
                LOG.warn("Record {} (and any like it) has no sealed vector: enrolled before payload encryption, it is not searchable; re-enrol it",
                        record.getRecordId());
            }
            return null;
        }
        byte[] bytes = new byte[sealed.remaining()];
        sealed.duplicate().get(bytes);
        try {
            return PayloadKeys.shared().openVector(record.getTenant(), record.getRecordId(), bytes);
        } catch (SealedPayloadException e) {
            LOG.warn("Record {} not indexed: its sealed vector does not open ({})", record.getRecordId(), e.reason());
            return null;
        }
    }

    static float[] toArray(List<Float> vector) {
        if (vector == null) {
            return null;
        }
        float[] array = new float[vector.size()];
        for (int i = 0; i < array.length; i++) {
            Float value = vector.get(i);
            array[i] = value == null ? Float.NaN : value;
        }
        return array;
    }

    /** An L2-normalised copy (cosine = dot product), or null for an empty, non-finite or zero vector. */
    static float[] normalised(List<Float> vector) {
        return normalised(toArray(vector));
    }

    static float[] normalised(float[] vector) {
        if (vector == null || vector.length == 0 || vector.length > 4096) {
            return null;
        }
        double norm = 0;
        for (float v : vector) {
            if (!Float.isFinite(v)) {
                return null;
            }
            norm += (double) v * v;
        }
        if (norm == 0) {
            return null;
        }
        float scale = (float) (1.0 / Math.sqrt(norm));
        float[] unit = new float[vector.length];
        for (int i = 0; i < unit.length; i++) {
            unit[i] = vector[i] * scale;
        }
        return unit;
    }

    private static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
