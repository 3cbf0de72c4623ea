package io.openbio.inference.document.read.ocr;

import io.openbio.inference.ErrorCode;
import io.openbio.inference.InferenceException;
import io.openbio.inference.image.RgbImage;
import io.openbio.inference.model.ModelRepository;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.tesseract.ChoiceIterator;
import org.bytedeco.tesseract.ResultIterator;
import org.bytedeco.tesseract.TessBaseAPI;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.tesseract.global.tesseract.OEM_LSTM_ONLY;
import static org.bytedeco.tesseract.global.tesseract.OEM_TESSERACT_ONLY;
import static org.bytedeco.tesseract.global.tesseract.PSM_AUTO;
import static org.bytedeco.tesseract.global.tesseract.PSM_SINGLE_BLOCK;
import static org.bytedeco.tesseract.global.tesseract.RIL_SYMBOL;
import static org.bytedeco.tesseract.global.tesseract.RIL_TEXTLINE;
import static org.bytedeco.tesseract.global.tesseract.RIL_WORD;

/**
 * Tesseract 5 through the JavaCPP presets ({@code org.bytedeco:tesseract}, natives in the jar), with
 * the pinned English language data {@value #MODEL_ID} of inference/models.tsv (tessdata 4.0.0, which
 * holds both of Tesseract's recognisers; SHA-256 checked by {@link ModelRepository} before use).
 *
 * <p>Which recogniser for what, measured on the synthetic OCR-B documents of the tests: the LSTM line
 * recogniser reads free text (the visual zone); on MRZ lines it reads the OCR-B filler {@code <} as
 * {@code K}, {@code L} or {@code C} in most lines even with the MRZ alphabet whitelisted (mean
 * confidence 0.04-0.44), while the legacy character classifier with the whitelist reads the fillers
 * right (confidence about 0.8). So {@link OcrMode#MRZ} uses the legacy engine, {@link OcrMode#TEXT} the LSTM.
 *
 * <p>One instance holds two Tesseract engines (free text and MRZ alphabet); Tesseract's API is not
 * thread-safe, so {@link #read} is synchronized: use one instance per worker thread for parallel
 * reading. Close it to free the native memory.
 */
public final class TesseractOcr implements AutoCloseable {
    /** The language data's id in inference/models.tsv. */
    public static final String MODEL_ID = "tess_eng";
    public static final String LANGUAGE = "eng";
    public static final String MRZ_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<";
    /**
     * Resolution told to Tesseract: the pages it reads are normalised documents whose text is 20-60 px
     * high, close to 300 dpi print; without it Tesseract guesses from the image size and warns.
     */
    static final int SOURCE_DPI = 300;

    private final TessBaseAPI text;
    private final TessBaseAPI mrz;
    private TessBaseAPI mrzLstm;
    private final Path tessdata;
    private boolean closed;

    private TesseractOcr(Path tessdata) {
        this.tessdata = tessdata;
        text = engine(tessdata, OEM_LSTM_ONLY, PSM_AUTO, null);
        TessBaseAPI m;
        try {
            m = engine(tessdata, OEM_TESSERACT_ONLY, PSM_SINGLE_BLOCK, MRZ_ALPHABET);
            // keep the classifier's alternatives of each character (OcrResult.Symbol): the MRZ reader weighs them
            m.SetVariable("save_blob_choices", "T");
        } catch (RuntimeException e) {
            text.End();
            text.close();
            throw e;
        }
        mrz = m;
    }

    /** Opens Tesseract on the verified language data of the repository. */
    public static TesseractOcr open(ModelRepository repo) {
        return new TesseractOcr(repo.verifiedPath(MODEL_ID).getParent());
    }

    private static TessBaseAPI engine(Path tessdata, int oem, int psm, String whitelist) {
        TessBaseAPI api = new TessBaseAPI();
        if (api.Init(tessdata.toString(), LANGUAGE, oem) != 0) {
            api.close();
            throw new InferenceException(ErrorCode.MODEL_UNAVAILABLE,
                    "Tesseract could not load '" + LANGUAGE + "' from " + tessdata);
        }
        api.SetPageSegMode(psm);
        // no dictionary corrections: document fields (numbers, names, codes) are not English words
        api.SetVariable("load_system_dawg", "0");
        api.SetVariable("load_freq_dawg", "0");
        if (whitelist != null) {
            api.SetVariable("tessedit_char_whitelist", whitelist);
        }
        return api;
    }

    /** Reads an RGB image (converted to grey, BT.601). */
    public OcrResult read(RgbImage image, OcrMode mode) {
        byte[] rgb = image.rgb();
        byte[] grey = new byte[image.width() * image.height()];
        for (int i = 0; i < grey.length; i++) {
            int r = rgb[3 * i] & 0xff;
            int g = rgb[3 * i + 1] & 0xff;
            int b = rgb[3 * i + 2] & 0xff;
            grey[i] = (byte) ((299 * r + 587 * g + 114 * b + 500) / 1000);
        }
        return read(grey, image.width(), image.height(), mode);
    }

    /** Reads an 8-bit grey image (row-major, {@code width * height} bytes). */
    public synchronized OcrResult read(byte[] grey, int width, int height, OcrMode mode) {
        if (closed) {
            throw new IllegalStateException("TesseractOcr is closed");
        }
        if (grey.length != width * height || width <= 0 || height <= 0) {
            throw new IllegalArgumentException("bad grey buffer " + width + "x" + height + " / " + grey.length);
        }
        TessBaseAPI api = switch (mode) {
            case MRZ -> mrz;
            case TEXT -> text;
            case MRZ_LSTM -> {
                if (mrzLstm == null) {
                    mrzLstm = engine(tessdata, OEM_LSTM_ONLY, PSM_SINGLE_BLOCK, MRZ_ALPHABET);
                }
                yield mrzLstm;
            }
        };
        api.SetImage(grey, width, height, 1, width);
        api.SetSourceResolution(SOURCE_DPI);
        try {
            if (api.Recognize(null) != 0) {
                return new OcrResult("", 0, List.of());
            }
            List<OcrResult.Line> lines = lines(api, mode == OcrMode.MRZ);
            StringBuilder all = new StringBuilder();
            for (OcrResult.Line l : lines) {
                all.append(all.isEmpty() ? "" : "\n").append(l.text());
            }
            double mean = Math.max(0, api.MeanTextConf()) / 100.0;
            return new OcrResult(all.toString(), mean, lines);
        } finally {
            api.Clear();
        }
    }

    private static List<OcrResult.Line> lines(TessBaseAPI api, boolean symbols) {
        List<OcrResult.Line> lines = new ArrayList<>();
        ResultIterator it = api.GetIterator();
        if (it == null) {
            return lines;
        }
        try {
            it.Begin();
            List<OcrResult.Word> words = new ArrayList<>();
            List<OcrResult.Symbol> syms = new ArrayList<>();
            String lineText = null;
            double lineConf = 0;
            OcrResult.Box lineBox = null;
            // symbols: walk character by character (words and lines start at some of them); otherwise word by word
            int level = symbols ? RIL_SYMBOL : RIL_WORD;
            do {
                if (it.IsAtBeginningOf(RIL_TEXTLINE)) {
                    if (lineText != null) {
                        lines.add(new OcrResult.Line(lineText, lineConf, lineBox, words, syms));
                    }
                    words = new ArrayList<>();
                    syms = new ArrayList<>();
                    lineText = utf8(it.GetUTF8Text(RIL_TEXTLINE)).strip();
                    lineConf = it.Confidence(RIL_TEXTLINE) / 100.0;
                    lineBox = box(it, RIL_TEXTLINE);
                }
                if (it.IsAtBeginningOf(RIL_WORD)) {
                    String w = utf8(it.GetUTF8Text(RIL_WORD)).strip();
                    if (!w.isEmpty()) {
                        words.add(new OcrResult.Word(w, it.Confidence(RIL_WORD) / 100.0, box(it, RIL_WORD)));
                    }
                }
                if (symbols) {
                    String c = utf8(it.GetUTF8Text(RIL_SYMBOL));
                    if (!c.isEmpty()) {
                        syms.add(new OcrResult.Symbol(c, it.Confidence(RIL_SYMBOL) / 100.0, choices(it)));
                    }
                }
            } while (it.Next(level));
            if (lineText != null) {
                lines.add(new OcrResult.Line(lineText, lineConf, lineBox, words, syms));
            }
        } finally {
            it.close();
        }
        lines.removeIf(l -> l.text().isEmpty());
        return lines;
    }

    private static List<OcrResult.Choice> choices(ResultIterator it) {
        List<OcrResult.Choice> out = new ArrayList<>();
        ChoiceIterator ci = new ChoiceIterator(it);
        try {
            do {
                // the choice's text belongs to Tesseract (not to be freed)
                BytePointer p = ci.GetUTF8Text();
                String t = p == null ? "" : p.getString(java.nio.charset.StandardCharsets.UTF_8);
                if (!t.isEmpty()) {
                    out.add(new OcrResult.Choice(t, ci.Confidence() / 100.0));
                }
            } while (ci.Next());
        } finally {
            ci.close();
        }
        out.sort(java.util.Comparator.comparingDouble(c -> -c.confidence()));
        return out;
    }

    private static OcrResult.Box box(ResultIterator it, int level) {
        int[] l = new int[1];
        int[] t = new int[1];
        int[] r = new int[1];
        int[] b = new int[1];
        if (!it.BoundingBox(level, l, t, r, b)) {
            return new OcrResult.Box(0, 0, 0, 0);
        }
        return new OcrResult.Box(l[0], t[0], r[0] - l[0], b[0] - t[0]);
    }

    private static String utf8(BytePointer p) {
        if (p == null) {
            return "";
        }
        try {
            return p.getString(java.nio.charset.StandardCharsets.UTF_8);
        } finally {
            p.deallocate();
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            text.End();
            text.close();
            mrz.End();
            mrz.close();
            if (mrzLstm != null) {
                mrzLstm.End();
                mrzLstm.close();
            }
        }
    }
}
