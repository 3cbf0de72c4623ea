package io.openbio.inference.document;

import io.openbio.inference.detect.Point;
import io.openbio.inference.image.OpenCv;
import io.openbio.inference.image.RgbImage;
import org.opencv.core.Mat;
import org.opencv.core.MatOfInt;
import org.opencv.core.MatOfPoint;
import org.opencv.core.MatOfPoint2f;
import org.opencv.core.RotatedRect;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the document (an ID card or a page: a bright-or-dark convex quadrilateral with straight
 * edges) in a photo. Region-based contour method, all OpenCV:
 *
 * <ol>
 *   <li>work on a copy whose longer side is at most {@value #WORK_SIDE} px (grey, BT.601), Gaussian
 *       blur 5x5;</li>
 *   <li>Canny edges (hysteresis 40 / 120), dilated once by a 3x3 cross so that a document outline
 *       with small gaps still closes;</li>
 *   <li>the connected regions between the edges ({@code findContours} on the inverted edge map,
 *       {@code RETR_CCOMP}); the outer contour of each region is a candidate;</li>
 *   <li>a candidate is document-shaped when its area is 8..97 % of the image, its solidity (area /
 *       convex-hull area) is at least 0.90 and its rectangularity (area / minimum-area rotated
 *       rectangle) at least 0.85; its corners are those of {@code approxPolyDP} of the hull with
 *       epsilon = 2 % of the hull perimeter when that gives 4 vertices, else the corners of the
 *       minimum-area rectangle;</li>
 *   <li>a candidate whose contour runs along the image border (within 2 work pixels) on one or two
 *       sides is a document leaving the frame; one touching three or four sides is the background
 *       (or a page filling the whole frame, whose outline is not visible) and is ignored.</li>
 * </ol>
 * Outcome: the largest candidate that does not touch the border is the document (FOUND); otherwise
 * the largest one touching one or two sides gives CROPPED; otherwise NOT_FOUND.
 */
public final class DocumentLocator {
    /** Longer side of the working copy. */
    public static final int WORK_SIDE = 800;
    static final double MIN_AREA = 0.08;
    static final double MAX_AREA = 0.97;
    static final double MIN_SOLIDITY = 0.90;
    static final double MIN_RECTANGULARITY = 0.85;
    static final double MIN_SOLIDITY_CROPPED = 0.75;

    /** Where the document is: a found quad, a cropped (frame-touching) quad, or nothing. */
    public record Location(DocumentStatus status, Quad quad, String detail) {
    }

    public Location locate(RgbImage img) {
        OpenCv.load();
        double f = Math.min(1.0, (double) WORK_SIDE / Math.max(img.width(), img.height()));
        int w = Math.max(1, (int) Math.round(img.width() * f));
        int h = Math.max(1, (int) Math.round(img.height() * f));
        Mat rgb = img.toMat();
        Mat small = new Mat();
        Mat grey = new Mat();
        Mat edges = new Mat();
        Mat hier = new Mat();
        List<MatOfPoint> contours = new ArrayList<>();
        try {
            Imgproc.resize(rgb, small, new Size(w, h), 0, 0, Imgproc.INTER_AREA);
            Imgproc.cvtColor(small, grey, Imgproc.COLOR_RGB2GRAY);
            Imgproc.GaussianBlur(grey, grey, new Size(5, 5), 0);
            Imgproc.Canny(grey, edges, 40, 120);
            Mat k = Imgproc.getStructuringElement(Imgproc.MORPH_CROSS, new Size(3, 3));
            Imgproc.dilate(edges, edges, k);
            k.release();
            Mat free = new Mat();
            org.opencv.core.Core.bitwise_not(edges, free);
            Imgproc.findContours(free, contours, hier, Imgproc.RETR_CCOMP, Imgproc.CHAIN_APPROX_SIMPLE);
            free.release();
            double imgArea = (double) w * h;
            Candidate inside = null;
            Candidate cropped = null;
            int[] hv = new int[4];
            for (int i = 0; i < contours.size(); i++) {
                hier.get(0, i, hv);
                if (hv[3] != -1) {
                    continue; // a hole, not an outer boundary
                }
                Candidate c = candidate(contours.get(i), w, h, imgArea);
                if (c == null) {
                    continue;
                }
                if (c.sidesTouched == 0) {
                    if (inside == null || c.area > inside.area) {
                        inside = c;
                    }
                } else if (c.sidesTouched <= 2) {
                    if (cropped == null || c.area > cropped.area) {
                        cropped = c;
                    }
                }
            }
            if (inside != null) {
                return new Location(DocumentStatus.OK, inside.quad(1 / f),
                        String.format("document quad, %.0f %% of the image", 100 * inside.area / imgArea));
            }
            if (cropped != null) {
                return new Location(DocumentStatus.DOCUMENT_CROPPED, cropped.quad(1 / f), String.format(
                        "document touches %d side(s) of the frame", cropped.sidesTouched));
            }
            return new Location(DocumentStatus.DOCUMENT_NOT_FOUND, null,
                    "no convex quadrilateral covering 8-97 % of the image with a visible outline");
        } finally {
            rgb.release();
            small.release();
            grey.release();
            edges.release();
            hier.release();
            contours.forEach(Mat::release);
        }
    }

    private record Candidate(double area, List<Point> corners, int sidesTouched) {
        Quad quad(double scale) {
            List<Point> p = new ArrayList<>();
            for (Point c : corners) {
                p.add(new Point(c.x() * scale, c.y() * scale));
            }
            return Quad.ordered(p);
        }
    }

    private static Candidate candidate(MatOfPoint contour, int w, int h, double imgArea) {
        double area = Imgproc.contourArea(contour);
        if (area < MIN_AREA * imgArea || area > MAX_AREA * imgArea) {
            return null;
        }
        MatOfInt hullIdx = new MatOfInt();
        Imgproc.convexHull(contour, hullIdx);
        org.opencv.core.Point[] pts = contour.toArray();
        int[] idx = hullIdx.toArray();
        hullIdx.release();
        org.opencv.core.Point[] hullPts = new org.opencv.core.Point[idx.length];
        for (int i = 0; i < idx.length; i++) {
            hullPts[i] = pts[idx[i]];
        }
        MatOfPoint2f hull = new MatOfPoint2f(hullPts);
        MatOfPoint2f all = new MatOfPoint2f(pts);
        MatOfPoint2f approx = new MatOfPoint2f();
        try {
            double margin = 2;
            boolean left = false;
            boolean right = false;
            boolean top = false;
            boolean bottom = false;
            for (org.opencv.core.Point p : pts) {
                left |= p.x <= margin;
                right |= p.x >= w - 1 - margin;
                top |= p.y <= margin;
                bottom |= p.y >= h - 1 - margin;
            }
            int touched = (left ? 1 : 0) + (right ? 1 : 0) + (top ? 1 : 0) + (bottom ? 1 : 0);
            // a document cut by the frame often has inner elements (bands, photos) cut too, which leave
            // notches in its region: there the hull, not the region, must be rectangular
            double hullArea = Imgproc.contourArea(hull);
            if (hullArea <= 0 || area / hullArea < (touched == 0 ? MIN_SOLIDITY : MIN_SOLIDITY_CROPPED)) {
                return null;
            }
            RotatedRect rr = Imgproc.minAreaRect(all);
            double rectArea = rr.size.width * rr.size.height;
            if (rectArea <= 0 || (touched == 0 ? area : hullArea) / rectArea < MIN_RECTANGULARITY) {
                return null;
            }
            Imgproc.approxPolyDP(hull, approx, 0.02 * Imgproc.arcLength(hull, true), true);
            List<Point> corners = new ArrayList<>();
            if (approx.rows() == 4) {
                for (org.opencv.core.Point p : approx.toArray()) {
                    corners.add(new Point(p.x, p.y));
                }
            } else {
                org.opencv.core.Point[] box = new org.opencv.core.Point[4];
                rr.points(box);
                for (org.opencv.core.Point p : box) {
                    corners.add(new Point(Math.max(0, Math.min(w - 1, p.x)), Math.max(0, Math.min(h - 1, p.y))));
                }
            }
            return new Candidate(area, corners, touched);
        } finally {
            hull.release();
            all.release();
            approx.release();
        }
    }

}
