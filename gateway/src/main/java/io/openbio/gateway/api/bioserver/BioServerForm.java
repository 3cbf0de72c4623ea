package io.openbio.gateway.api.bioserver;

import io.openbio.gateway.web.PayloadTooLargeException;
import io.openbio.schemas.PayloadLimits;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.fileupload2.core.DiskFileItem;
import org.apache.commons.fileupload2.core.DiskFileItemFactory;
import org.apache.commons.fileupload2.core.FileItemHeaders;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.core.FileUploadFileCountLimitException;
import org.apache.commons.fileupload2.core.FileUploadSizeException;
import org.apache.commons.fileupload2.core.ParameterParser;
import org.apache.commons.fileupload2.jakarta.servlet6.JakartaServletFileUpload;
import org.springframework.web.multipart.MultipartException;

/**
 * A BioServer multipart body, {@code multipart/form-data} or {@code multipart/mixed} (the seed allows
 * both on every upload, and its curl examples send {@code -H 'Content-Type: multipart/mixed'} with
 * {@code -F} parts), read into named parts.
 *
 * <p>Why Commons FileUpload and not the servlet container: {@code HttpServletRequest.getParts()} (and so
 * Spring's {@code StandardServletMultipartResolver} and {@code @RequestPart}) is specified for
 * {@code multipart/form-data} only; Commons FileUpload's streaming parser reads any {@code multipart/*}
 * body, so both forms go through one parser with the same limits. {@link BioServerMultipartResolver}
 * keeps Spring from parsing the BioServer paths first. A part is named by its {@code Content-Disposition}
 * {@code name}, whether the disposition is {@code form-data} (curl, browsers) or, as a
 * {@code multipart/mixed} writer may send it, {@code attachment} / {@code inline}.
 *
 * <p>Limits: the whole body at most {@link PayloadLimits#MAX_PAYLOAD_BYTES} (413), at most
 * {@value #MAX_PARTS} parts and part headers of at most 8 KiB (400); a name given twice is a 400 (which
 * one would count is a guess).
 */
final class BioServerForm {
    static final int MAX_PARTS = 16;

    /** One part: its name, file name (null for a plain field), declared type and bytes. */
    record Item(String name, String filename, String contentType, byte[] data) {
        /** The part as text: UTF-8, trimmed, without one pair of surrounding double quotes (curl {@code -F 'x="v"'}, a file holding {@code "v"}). */
        String text() {
            String text = new String(data, StandardCharsets.UTF_8).strip();
            if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
                text = text.substring(1, text.length() - 1).strip();
            }
            return text;
        }
    }

    private final Map<String, Item> items;

    private BioServerForm(Map<String, Item> items) {
        this.items = items;
    }

    /** The named part, or null. */
    Item item(String name) {
        return items.get(name);
    }

    /** The named part's bytes; a 400 naming it when absent or empty. */
    byte[] required(String name) {
        Item item = items.get(name);
        if (item == null || item.data().length == 0) {
            throw BioServerRequests.invalid("'" + name + "' is required");
        }
        return item.data();
    }

    /** The named part as text ({@link Item#text()}), or null when absent or blank. */
    String text(String name) {
        Item item = items.get(name);
        if (item == null) {
            return null;
        }
        String text = item.text();
        return text.isEmpty() ? null : text;
    }

    static BioServerForm read(HttpServletRequest request) throws IOException {
        Upload upload = new Upload();
        upload.setMaxSize(PayloadLimits.MAX_PAYLOAD_BYTES);
        upload.setMaxFileCount(MAX_PARTS);
        upload.setMaxPartHeaderSize(8 * 1024);
        Map<String, Item> items = new LinkedHashMap<>();
        try {
            FileItemInputIterator parts = upload.getItemIterator(request);
            int count = 0;
            while (parts.hasNext()) {
                FileItemInput part = parts.next();
                if (++count > MAX_PARTS) {
                    throw BioServerRequests.invalid("at most " + MAX_PARTS + " parts are taken");
                }
                byte[] data;
                try (InputStream in = part.getInputStream()) {
                    data = in.readNBytes(PayloadLimits.MAX_PAYLOAD_BYTES + 1);
                }
                if (data.length > PayloadLimits.MAX_PAYLOAD_BYTES) {
                    throw new PayloadTooLargeException();
                }
                String name = part.getFieldName();
                if (items.putIfAbsent(name, new Item(name, part.getName(), part.getContentType(), data)) != null) {
                    throw BioServerRequests.invalid("part '" + name + "' is given twice");
                }
            }
        } catch (FileUploadFileCountLimitException e) {
            throw BioServerRequests.invalid("at most " + MAX_PARTS + " parts are taken");
        } catch (FileUploadSizeException e) {
            // the whole body, or one part (its subclass FileUploadByteCountLimitException), too large
            throw new PayloadTooLargeException();
        } catch (FileUploadException e) {
            // a body cut short, no boundary, a broken part: 400 (GatewayExceptionHandler first sees whether
            // the body's transport failed: too large, too slow, aborted)
            throw new MultipartException("Malformed multipart request", e);
        }
        return new BioServerForm(items);
    }

    /**
     * Commons FileUpload names a part only for {@code Content-Disposition: form-data}; a
     * {@code multipart/mixed} part may name itself with {@code attachment} or {@code inline}.
     */
    private static final class Upload extends JakartaServletFileUpload<DiskFileItem, DiskFileItemFactory> {
        @Override
        public String getFieldName(FileItemHeaders headers) {
            String name = super.getFieldName(headers);
            if (name != null) {
                return name;
            }
            String disposition = headers.getHeader(CONTENT_DISPOSITION);
            if (disposition == null) {
                return null;
            }
            ParameterParser parser = new ParameterParser();
            parser.setLowerCaseNames(true);
            String value = parser.parse(disposition.toLowerCase(Locale.ROOT).startsWith("form-data") ? disposition
                    : disposition.substring(Math.max(0, disposition.indexOf(';') + 1)), ';').get("name");
            return value == null || value.isBlank() ? null : value.strip();
        }
    }
}
