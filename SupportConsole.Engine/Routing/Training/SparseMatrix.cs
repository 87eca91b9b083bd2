namespace SupportConsole.Engine.Routing.Training;

/// <summary>Compressed sparse rows (one row per ticket) with its column-major transpose for gradient sums.</summary>
internal sealed class SparseMatrix
{
    private SparseMatrix(int rows, int columns, int[] rowStart, int[] columnIndex, float[] values)
    {
        Rows = rows;
        Columns = columns;
        RowStart = rowStart;
        ColumnIndex = columnIndex;
        Values = values;
        (ColumnStart, RowIndex, ColumnValues) = Transpose();
    }

    public int Rows { get; }

    public int Columns { get; }

    public int[] RowStart { get; }

    public int[] ColumnIndex { get; }

    public float[] Values { get; }

    public int[] ColumnStart { get; }

    public int[] RowIndex { get; }

    public float[] ColumnValues { get; }

    public static SparseMatrix FromRows(IReadOnlyList<SparseVector> rows, int columns)
    {
        var rowStart = new int[rows.Count + 1];
        for (var r = 0; r < rows.Count; r++)
        {
            rowStart[r + 1] = rowStart[r] + rows[r].Indices.Length;
        }

        var columnIndex = new int[rowStart[^1]];
        var values = new float[rowStart[^1]];
        for (var r = 0; r < rows.Count; r++)
        {
            rows[r].Indices.CopyTo(columnIndex, rowStart[r]);
            rows[r].Values.CopyTo(values, rowStart[r]);
        }

        return new SparseMatrix(rows.Count, columns, rowStart, columnIndex, values);
    }

    /// <summary>The rows at <paramref name="rowIds"/>, in that order.</summary>
    public SparseMatrix Select(IReadOnlyList<int> rowIds)
    {
        var rowStart = new int[rowIds.Count + 1];
        for (var r = 0; r < rowIds.Count; r++)
        {
            rowStart[r + 1] = rowStart[r] + (RowStart[rowIds[r] + 1] - RowStart[rowIds[r]]);
        }

        var columnIndex = new int[rowStart[^1]];
        var values = new float[rowStart[^1]];
        for (var r = 0; r < rowIds.Count; r++)
        {
            var from = RowStart[rowIds[r]];
            var length = RowStart[rowIds[r] + 1] - from;
            Array.Copy(ColumnIndex, from, columnIndex, rowStart[r], length);
            Array.Copy(Values, from, values, rowStart[r], length);
        }

        return new SparseMatrix(rowIds.Count, Columns, rowStart, columnIndex, values);
    }

    private (int[] ColumnStart, int[] RowIndex, float[] Values) Transpose()
    {
        var columnStart = new int[Columns + 1];
        foreach (var column in ColumnIndex)
        {
            columnStart[column + 1]++;
        }

        for (var c = 0; c < Columns; c++)
        {
            columnStart[c + 1] += columnStart[c];
        }

        var next = (int[])columnStart.Clone();
        var rowIndex = new int[ColumnIndex.Length];
        var values = new float[ColumnIndex.Length];
        for (var r = 0; r < Rows; r++)
        {
            for (var k = RowStart[r]; k < RowStart[r + 1]; k++)
            {
                var slot = next[ColumnIndex[k]]++;
                rowIndex[slot] = r;
                values[slot] = Values[k];
            }
        }

        return (columnStart, rowIndex, values);
    }
}
