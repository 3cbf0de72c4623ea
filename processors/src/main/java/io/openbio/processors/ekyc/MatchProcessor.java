package io.openbio.processors.ekyc;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.openbio.events.EkycPart;
import io.openbio.events.EkycWork;
import io.openbio.inference.embed.ScoreCalibration;
import io.openbio.inference.embed.Template;
import io.openbio.processors.core.ProcessorSettings;
import io.openbio.processors.core.StreamProcessor;
import io.openbio.schemas.TopicSpec;
import io.openbio.schemas.Topics;
import io.openbio.schemas.contract.EkycContract;
import io.openbio.schemas.contract.Stage;
import io.openbio.schemas.serde.EventSerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * IDLive {@code /check} FACE_MATCH_VALIDATION stage: the selfie template against the document
 * portrait template; {@code probability} is the face-analysis library's calibrated same-person
 * probability of their cosine similarity (threshold 0.5; derivation in inference/EVALUATION.md).
 * Needs no model: the templates were made by the prepare stages.
 *
 * <p>The two templates come from two stages ({@link EkycPrepareProcessor} sends the FACE half,
 * {@link EkycPrepareDocProcessor} the DOCUMENT half), both keyed by request id on
 * {@link Topics#EKYC_MATCHES}; this stage keeps the first half in a changelogged state store until
 * the second arrives, then answers the {@code face_validation_result} section. A half whose partner
 * never comes is dropped after {@code OPENBIO_EKYC_ASSEMBLY_TIMEOUT_MS} (the assembler has answered
 * the section with ERROR by then). A work item with both templates ({@code half} null) is answered
 * at once.
 */
public final class MatchProcessor implements StreamProcessor {
    public static final String NAME = EkycContract.MATCH.name();
    public static final String STORE = "ekyc-match-halves";
    public static final String FACE_HALF = "FACE";
    public static final String DOCUMENT_HALF = "DOCUMENT";
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(MatchProcessor.class);

    private final ScoreCalibration calibration = ScoreCalibration.load();
    private final long timeoutMs;

    /** With the default settings ({@link ProcessorSettings#defaults()}); ProcessorMain passes the process's. */
    public MatchProcessor() {
        this(ProcessorSettings.defaults());
    }

    /** Waits for a request's other half as long as the assembler waits for its parts ({@link ProcessorSettings#assemblyTimeout()}). */
    public MatchProcessor(ProcessorSettings settings) {
        this.timeoutMs = settings.assemblyTimeout().toMillis();
    }

    @Override
    public Stage stage() {
        return EkycContract.MATCH;
    }

    @Override
    public Topology topology(EventSerdes serdes) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE),
                Serdes.String(), serdes.valueSerde(EkycWork.class)));
        TopicSpec<EkycWork> in = Topics.EKYC_MATCHES;
        builder.stream(in.name(), in.consumed(serdes).withName(NAME + "-work"))
                .filter((k, w) -> k != null && w != null)
                .process(Join::new, STORE)
                .to(Topics.EKYC_PARTS.name(), Topics.EKYC_PARTS.produced(serdes));
        return builder.build();
    }

    /** Joins the FACE and DOCUMENT halves of each request and answers its section. */
    private final class Join implements Processor<String, EkycWork, String, EkycPart> {
        private KeyValueStore<String, EkycWork> store;
        private ProcessorContext<String, EkycPart> context;

        @Override
        public void init(ProcessorContext<String, EkycPart> context) {
            this.context = context;
            this.store = context.getStateStore(STORE);
            context.schedule(Duration.ofSeconds(5), PunctuationType.WALL_CLOCK_TIME, this::expire);
        }

        @Override
        public void process(Record<String, EkycWork> record) {
            EkycWork work = record.value();
            if (work.getHalf() == null) {
                context.forward(record.withValue(section(work)));
                return;
            }
            EkycWork other = store.get(record.key());
            if (other == null || work.getHalf().equals(other.getHalf())) {
                store.put(record.key(), work); // the first half (a redelivered one replaces itself)
                return;
            }
            store.delete(record.key());
            EkycWork face = FACE_HALF.equals(work.getHalf()) ? work : other;
            EkycWork doc = face == work ? other : work;
            EkycWork both = EkycWork.newBuilder(face).setHalf(null)
                    .setDocTemplate(doc.getDocTemplate()).setDocStatus(doc.getDocStatus()).build();
            context.forward(record.withValue(section(both)));
        }

        private void expire(long now) {
            List<String> expired = new ArrayList<>();
            try (KeyValueIterator<String, EkycWork> all = store.all()) {
                while (all.hasNext()) {
                    KeyValue<String, EkycWork> entry = all.next();
                    if (now - entry.value.getEnvelope().getCreatedAt().toEpochMilli() > timeoutMs) {
                        expired.add(entry.key);
                    }
                }
            }
            expired.forEach(store::delete);
        }
    }

    /** The section for a work item carrying both halves; never throws. */
    EkycPart section(EkycWork work) {
        String id = work.getEnvelope().getRequestId();
        String json;
        if (!"OK".equals(work.getFaceStatus()) || work.getFaceTemplate() == null) {
            json = EkycJson.validationError(EkycJson.messageFor(work.getFaceStatus()));
        } else if (!"OK".equals(work.getDocStatus()) || work.getDocTemplate() == null) {
            json = EkycJson.validationError(EkycJson.messageFor(work.getDocStatus()));
        } else {
            try {
                Template face = Template.decode(io.openbio.processors.core.Sealing.openTemplate(work.getEnvelope(), work.getFaceTemplate()));
                Template doc = Template.decode(io.openbio.processors.core.Sealing.openTemplate(work.getEnvelope(), work.getDocTemplate()));
                ObjectNode node = EkycJson.JSON.createObjectNode();
                node.put("probability", calibration.probability(face.similarity(doc)));
                node.put("status_code", "OK");
                json = node.toString();
            } catch (RuntimeException e) {
                log.warn("{} could not compare the templates of request {}: {}", NAME, id, e.toString());
                json = EkycJson.validationError("Failed to compare the faces");
            }
        }
        return EkycPrepareProcessor.section(id, EkycJson.VALIDATION, json);
    }
}
