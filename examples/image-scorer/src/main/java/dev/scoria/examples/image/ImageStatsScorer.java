package dev.scoria.examples.image;

import dev.scoria.scorer.RawScorer;
import dev.scoria.scorer.ScoreRequest;
import dev.scoria.scorer.ScoreResponse;
import dev.scoria.scorer.ScorerContext;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Answers statistics of a posted image: size, mean red/green/blue, mean luminance (ITU-R BT.601
 * weights), a four-bin luminance histogram (pixel counts for 0–63, 64–127, 128–191, 192–255) and the
 * dominant channel. A {@link RawScorer}, because the body is image bytes, not JSON:
 *
 * <pre>
 * POST /score   Content-Type: image/png   &lt;bytes&gt;
 * → {"format":"png","width":64,"height":48,"mean":{"r":…,"g":…,"b":…},
 *    "luminance":{"mean":…,"histogram":[…,…,…,…]},"dominantChannel":"red"}
 * </pre>
 *
 * <p>Any format the JDK's ImageIO reads is accepted (PNG, JPEG, GIF, BMP, WBMP, TIFF) when sent as
 * {@code image/*} or {@code application/octet-stream}. JSON is refused with 415, other media types too;
 * bytes that are not an image, 400. Settings ({@code --config}): {@code maxPixels} (default 40000000),
 * checked from the image header before any pixel is decoded, so a small file claiming a huge size
 * cannot exhaust the server's memory.
 */
public final class ImageStatsScorer implements RawScorer {

    private static final Set<String> ACCEPTED = Set.of("application/octet-stream");
    private static final String[] CHANNELS = {"red", "green", "blue"};

    private long maxPixels;

    @Override
    public void init(ScorerContext context) {
        String value = context.config().getOrDefault("maxPixels", "40000000");
        try {
            maxPixels = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("config maxPixels must be a whole number, got '" + value + "'");
        }
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("config maxPixels must be positive, got " + maxPixels);
        }
        context.logger().info("image formats readable: " + String.join(", ", ImageIO.getReaderFormatNames()));
    }

    @Override
    public ScoreResponse run(ScoreRequest request) throws IOException {
        if (!request.method().equals("POST")) {
            return ScoreResponse.builder(405)
                    .header("Allow", "POST")
                    .header("Content-Type", "application/json")
                    .body(error(
                            405, "POST an image (Content-Type image/png, image/jpeg, … or application/octet-stream)"))
                    .build();
        }
        String type = request.contentType();
        if (type == null || !(type.startsWith("image/") || ACCEPTED.contains(type))) {
            return ScoreResponse.json(
                    415,
                    error(
                            415,
                            "expected an image (Content-Type image/png, image/jpeg, … or "
                                    + "application/octet-stream), got " + (type == null ? "no Content-Type" : type)));
        }
        if (request.body().length == 0) {
            return ScoreResponse.json(400, error(400, "the body is empty: send the image bytes"));
        }
        // A memory-backed stream: ImageIO.createImageInputStream would spill to a temporary file
        // per request unless ImageIO's global cache setting were changed, which belongs to the server.
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(request.body()))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                return ScoreResponse.json(
                        400,
                        error(
                                400,
                                "the body is not an image in a format this service reads (" + request.body().length
                                        + " bytes of " + type + ")"));
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > maxPixels) {
                    return ScoreResponse.json(
                            400, error(400, "the image has " + pixels + " pixels, over the limit of " + maxPixels));
                }
                BufferedImage image = reader.read(0);
                return ScoreResponse.json(200, stats(reader.getFormatName().toLowerCase(Locale.ROOT), image));
            } catch (IOException | RuntimeException e) {
                // Truncated or corrupt data surfaces here, as IOException or as a decoder's runtime
                // exception: both are the caller's bytes, not a failure of the service.
                return ScoreResponse.json(
                        400,
                        error(
                                400,
                                "the " + reader.getFormatName().toLowerCase(Locale.ROOT)
                                        + " image could not be decoded: "
                                        + e.getClass().getSimpleName()));
            } finally {
                reader.dispose();
            }
        }
    }

    static String stats(String format, BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        double[] sums = new double[3];
        double lumaSum = 0;
        long[] histogram = new long[4];
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            image.getRGB(0, y, width, 1, row, 0, width);
            for (int argb : row) {
                int r = (argb >> 16) & 0xff;
                int g = (argb >> 8) & 0xff;
                int b = argb & 0xff;
                sums[0] += r;
                sums[1] += g;
                sums[2] += b;
                double luma = 0.299 * r + 0.587 * g + 0.114 * b;
                lumaSum += luma;
                histogram[Math.min(3, (int) (luma / 64))]++;
            }
        }
        double n = (double) width * height;
        double[] means = {sums[0] / n, sums[1] / n, sums[2] / n};
        StringBuilder json = new StringBuilder(256);
        json.append("{\"format\":\"")
                .append(format)
                .append('"')
                .append(",\"width\":")
                .append(width)
                .append(",\"height\":")
                .append(height)
                .append(",\"mean\":{\"r\":")
                .append(round(means[0]))
                .append(",\"g\":")
                .append(round(means[1]))
                .append(",\"b\":")
                .append(round(means[2]))
                .append('}')
                .append(",\"luminance\":{\"mean\":")
                .append(round(lumaSum / n))
                .append(",\"histogram\":[")
                .append(histogram[0])
                .append(',')
                .append(histogram[1])
                .append(',')
                .append(histogram[2])
                .append(',')
                .append(histogram[3])
                .append("]}")
                .append(",\"dominantChannel\":\"")
                .append(dominant(means))
                .append("\"}");
        return json.toString();
    }

    /** The channel with the highest mean, or "none" when the top two are within one level (grey-ish images). */
    static String dominant(double[] means) {
        int best = 0;
        for (int c = 1; c < 3; c++) {
            if (means[c] > means[best]) {
                best = c;
            }
        }
        for (int c = 0; c < 3; c++) {
            if (c != best && means[best] - means[c] < 1.0) {
                return "none";
            }
        }
        return CHANNELS[best];
    }

    /** Three decimals: finer differences in an 8-bit mean are noise, and shorter numbers read better. */
    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    /** Scoria's error shape. Messages can carry the caller's Content-Type, so they are escaped in full. */
    static String error(int status, String message) {
        StringBuilder json =
                new StringBuilder("{\"status_code\":").append(status).append(",\"message\":\"");
        for (char c : message.toCharArray()) {
            if (c == '"' || c == '\\') {
                json.append('\\').append(c);
            } else if (c < 0x20) {
                json.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                json.append(c);
            }
        }
        return json.append("\"}").toString();
    }
}
