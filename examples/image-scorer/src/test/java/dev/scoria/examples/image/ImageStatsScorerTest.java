package dev.scoria.examples.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scoria.scorer.ScoreRequest;
import dev.scoria.scorer.ScoreResponse;
import dev.scoria.scorer.ScorerHarness;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ImageStatsScorerTest {

    ScorerHarness<ImageStatsScorer> harness;

    @BeforeEach
    void start() throws Exception {
        harness = ScorerHarness.of(new ImageStatsScorer()).init();
    }

    @AfterEach
    void stop() throws Exception {
        harness.close();
    }

    static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(ImageIO.write(image, format, out))
                .as("a writer for %s", format)
                .isTrue();
        return out.toByteArray();
    }

    static BufferedImage solid(int width, int height, Color color) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(color);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }

    static double number(String json, String path) {
        Matcher m =
                Pattern.compile("\"" + Pattern.quote(path) + "\":(-?[0-9.E-]+)").matcher(json);
        assertThat(m.find()).as("%s in %s", path, json).isTrue();
        return Double.parseDouble(m.group(1));
    }

    static long[] histogram(String json) {
        Matcher m = Pattern.compile("\"histogram\":\\[([0-9,]+)]").matcher(json);
        assertThat(m.find()).as("histogram in %s", json).isTrue();
        return Arrays.stream(m.group(1).split(",")).mapToLong(Long::parseLong).toArray();
    }

    ScoreResponse post(String contentType, byte[] body) throws Exception {
        return harness.run(ScoreRequest.post(contentType, body));
    }

    @Test
    void pngStatisticsAreExact() throws Exception {
        BufferedImage image = solid(10, 4, Color.BLACK);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 5, 4);
        g.dispose();
        ScoreResponse response = post("image/png", encode(image, "png"));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.headers()).containsEntry("Content-Type", "application/json");
        assertThat(response.bodyText())
                .isEqualTo("{\"format\":\"png\",\"width\":10,\"height\":4,"
                        + "\"mean\":{\"r\":127.5,\"g\":127.5,\"b\":127.5},\"luminance\":{\"mean\":127.5,\"histogram\":[20,0,0,20]},"
                        + "\"dominantChannel\":\"none\"}");
    }

    @Test
    void dominantChannelAndHistogramBinFollowTheColour() throws Exception {
        // Pure red has luminance 0.299 * 255 = 76.2: the second bin.
        String red = post("image/png", encode(solid(3, 3, Color.RED), "png")).bodyText();
        assertThat(red).contains("\"dominantChannel\":\"red\"");
        assertThat(histogram(red)).containsExactly(0, 9, 0, 0);
        assertThat(number(red, "mean")).isEqualTo(76.245);
        String green = post("application/octet-stream", encode(solid(2, 5, new Color(10, 200, 30)), "bmp"))
                .bodyText();
        assertThat(green)
                .startsWith("{\"format\":\"bmp\",\"width\":2,\"height\":5,")
                .contains("\"dominantChannel\":\"green\"");
        // 0.299 * 10 + 0.587 * 200 + 0.114 * 30 = 123.8: still the second bin.
        assertThat(histogram(green)).containsExactly(0, 10, 0, 0);
    }

    @Test
    void jpegIsDecodedWithinItsLoss() throws Exception {
        String json = post("image/jpeg", encode(solid(32, 16, new Color(40, 90, 220)), "jpg"))
                .bodyText();
        assertThat(json)
                .startsWith("{\"format\":\"jpeg\",\"width\":32,\"height\":16,")
                .contains("\"dominantChannel\":\"blue\"");
        assertThat(number(json, "r")).isCloseTo(40, Offset.offset(4.0));
        assertThat(number(json, "g")).isCloseTo(90, Offset.offset(4.0));
        assertThat(number(json, "b")).isCloseTo(220, Offset.offset(4.0));
        assertThat(Arrays.stream(histogram(json)).sum()).isEqualTo(32 * 16);
    }

    @Test
    void committedGradientImage() throws Exception {
        // gradient-64x48.png: red = 4x, green = 5y, blue = 128 at pixel (x, y).
        byte[] png;
        try (InputStream in = getClass().getResourceAsStream("/gradient-64x48.png")) {
            png = in.readAllBytes();
        }
        String json = post("image/png", png).bodyText();
        assertThat(json)
                .startsWith("{\"format\":\"png\",\"width\":64,\"height\":48,"
                        + "\"mean\":{\"r\":126.0,\"g\":117.5,\"b\":128.0},")
                .endsWith("\"dominantChannel\":\"blue\"}");
        // Luminance is linear, so its mean is the weighted channel means: 0.299 * 126 + 0.587 * 117.5 + 0.114 * 128.
        assertThat(number(json, "mean")).isEqualTo(121.239);
        assertThat(Arrays.stream(histogram(json)).sum()).isEqualTo(64 * 48);
    }

    @Test
    void jsonIsRefusedWith415() throws Exception {
        ScoreResponse response = post("application/json", "{\"data\": [1]}".getBytes(StandardCharsets.UTF_8));
        assertThat(response.status()).isEqualTo(415);
        assertThat(response.bodyText())
                .startsWith("{\"status_code\":415,\"message\":\"expected an image")
                .endsWith("got application/json\"}");
        assertThat(post("text/plain", new byte[] {1}).status()).isEqualTo(415);
        ScoreResponse none = harness.run(new ScoreRequest("POST", "/score", Map.of(), Map.of(), new byte[] {1}));
        assertThat(none.status()).isEqualTo(415);
        assertThat(none.bodyText()).contains("no Content-Type");
    }

    @Test
    void bytesThatAreNoImageAre400() throws Exception {
        ScoreResponse garbage = post("image/png", "not an image at all".getBytes(StandardCharsets.UTF_8));
        assertThat(garbage.status()).isEqualTo(400);
        assertThat(garbage.bodyText()).startsWith("{\"status_code\":400,\"message\":\"the body is not an image");
        assertThat(post("image/jpeg", new byte[0]).bodyText()).contains("the body is empty");
    }

    @Test
    void truncatedImageIs400NotAFailure() throws Exception {
        byte[] png = encode(solid(200, 200, Color.ORANGE), "png");
        ScoreResponse response = post("image/png", Arrays.copyOf(png, png.length / 2));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.bodyText()).contains("the png image could not be decoded");
    }

    @Test
    void imagesOverThePixelLimitAreRefusedBeforeDecoding() throws Exception {
        try (var small = ScorerHarness.of(new ImageStatsScorer())
                .config("maxPixels", "100")
                .init()) {
            ScoreResponse response = small.run(ScoreRequest.post("image/png", encode(solid(20, 10, Color.RED), "png")));
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.bodyText()).contains("200 pixels, over the limit of 100");
            assertThat(small.run(ScoreRequest.post("image/png", encode(solid(10, 10, Color.RED), "png")))
                            .status())
                    .isEqualTo(200);
        }
        assertThatThrownBy(() -> ScorerHarness.of(new ImageStatsScorer())
                        .config("maxPixels", "lots")
                        .init())
                .hasMessage("config maxPixels must be a whole number, got 'lots'");
    }

    @Test
    void onlyPostIsScored() throws Exception {
        ScoreResponse get = harness.run(new ScoreRequest("GET", "/score", Map.of(), Map.of("a", List.of("1")), null));
        assertThat(get.status()).isEqualTo(405);
        assertThat(get.headers()).containsEntry("Allow", "POST");
    }

    @Test
    void errorMessagesAreValidJsonWhateverTheContentType() {
        assertThat(ImageStatsScorer.error(415, "got a\"b\\c\td"))
                .isEqualTo("{\"status_code\":415,\"message\":\"got a\\\"b\\\\c\\u0009d\"}");
    }
}
