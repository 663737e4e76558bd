package dev.scoria.core.input;

/** A row-major matrix of doubles: {@code values[r * cols + c]}. The array may be longer than rows * cols. */
public record DenseMatrix(double[] values, int rows, int cols) {

    public double get(int row, int col) {
        return values[row * cols + col];
    }
}
