package io.openbio.processors.dis.customer;

import io.openbio.events.DisCustomer;
import io.openbio.schemas.crypto.PayloadKeys;
import io.openbio.schemas.crypto.Purpose;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The big parts of a customer (images; later liveness selfies, records, document pages), one entry each
 * in the {@value DisCustomerProcessor#PARTS} store under {@code <customer store key>/<part>}, sealed for
 * the customer's tenant under that key. One entry per part: adding a liveness selfie never rewrites the
 * selfie or the customer (the BioServer lesson: a value rewritten on every addition grows O(n^2) in the
 * changelog).
 */
public final class CustomerParts {
    /** The selfie as the client sent it (or as the liveness record gave it). */
    public static final String SELFIE = "selfie";
    /** The selfie's face crop (JPEG), GET .../selfie. */
    public static final String SELFIE_CROP = "selfie-crop";

    /** The prefix of every document part (pages, their portraits, chip files): PUT / DELETE document drop them together. */
    public static final String DOCUMENT = "document";

    private final KeyValueStore<String, byte[]> store;

    public CustomerParts(KeyValueStore<String, byte[]> store) {
        this.store = store;
    }

    /** The part name of a liveness record's selfie ({@code selfieOrigin.link} of PUT selfie points to it). */
    public static String recordSelfie(String recordId) {
        return "records/" + recordId + "/selfie";
    }

    /** A document page normalised (JPEG), {@code front} or {@code back}. */
    public static String page(String pageType) {
        return DOCUMENT + "/pages/" + pageType;
    }

    /**
     * What was read on a document page (MRZ lines, barcodes, visual-zone text with confidences; JSON of
     * {@link DisPageReading.Page}), {@code front} or {@code back}: personal data, sealed like every part.
     */
    public static String pageReading(String pageType) {
        return DOCUMENT + "/readings/" + pageType;
    }

    /** The chip's LDS files as uploaded (re-encoded by {@code ChipFiles}: the same files, concatenated). */
    public static final String CHIP_DATA = DOCUMENT + "/chip/data";
    /** DG2's portrait as the chip holds it (JPEG). */
    public static final String CHIP_PORTRAIT = DOCUMENT + "/chip/portrait";

    /** The portrait crop (JPEG) found on a document page. */
    public static String pagePortrait(String pageType) {
        return DOCUMENT + "/portraits/" + pageType;
    }

    /** The store key of {@code part} of the customer stored under {@code customerKey}. */
    public static String key(String customerKey, String part) {
        return customerKey + "/" + part;
    }

    public void put(DisCustomer customer, String customerKey, String part, byte[] data) {
        String key = key(customerKey, part);
        store.put(key, PayloadKeys.shared().seal(customer.getTenant(), Purpose.IMAGE, key, data));
    }

    /** The part opened, or null when there is none. */
    public byte[] get(DisCustomer customer, String customerKey, String part) {
        String key = key(customerKey, part);
        byte[] sealed = store.get(key);
        return sealed == null ? null : PayloadKeys.shared().open(customer.getTenant(), Purpose.IMAGE, key, sealed);
    }

    public void delete(String customerKey, String part) {
        store.delete(key(customerKey, part));
    }

    /** Every entry whose key starts with {@code prefix} (a customer's {@code <key>/}, a session's {@code <session id>/}). */
    public void deleteAll(String prefix) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.prefixScan(prefix, new StringSerializer())) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        keys.forEach(store::delete);
    }
}
