using System;
using System.Collections.Generic;
using System.Linq;
using CnnGen.Shapes;
using SkiaSharp;

namespace CnnGen.Tool.Report
{
    /// <summary>
    /// The architecture as vector graphics: the layers top to bottom, each a box with its name, kind and output shape
    /// beside a picture sized by its feature map; the branches of a Residual, Concat or Multiply side by side between
    /// the point where they split and the merge that joins them. Laid out as a tree, drawn one top-level piece at a
    /// time so that a long network flows over pages.
    /// </summary>
    internal sealed class ArchitectureDiagram
    {
        private const float Gap = 12f;          // vertical space between boxes (an arrow)
        private const float ColumnGap = 14f;
        private const float MergeRadius = 7f;
        private static readonly TextStyle NameStyle = new(Face.Bold, 6.8f, new SKColor(0x1F, 0x2A, 0x44));
        private static readonly TextStyle KindStyle = new(Face.Text, 6.3f, new SKColor(0x33, 0x3D, 0x4F));
        private static readonly TextStyle ShapeStyle = new(Face.Mono, 6.3f, new SKColor(0x0B, 0x4F, 0x8A));
        private static readonly SKColor Line = new(0x55, 0x60, 0x70);

        private readonly TextPainter _painter;
        private readonly NetworkAnalysis _analysis;
        private readonly ReportText _text;

        public ArchitectureDiagram(NetworkAnalysis analysis, TextPainter painter, ReportText text)
        {
            _analysis = analysis;
            _painter = painter;
            _text = text;
        }

        /// <summary>A piece of the diagram: its size and how to draw it with its top centre at a point.</summary>
        internal abstract class Node
        {
            public float Width { get; protected set; }
            public float Height { get; protected set; }
            public abstract void Draw(SKCanvas canvas, float centre, float top);
        }

        /// <summary>The top-level pieces in order: the input, then each layer or branching use of the network.</summary>
        public List<Node> Pieces()
        {
            var pieces = new List<Node> { new Box(this, _text.InputRow, "", _analysis.InputShape, SKColors.White) };
            pieces.AddRange(Column(-1, null));
            return pieces;
        }

        /// <summary>The rows directly inside <paramref name="parent"/> (and its <paramref name="branch"/>), Sequential uses flattened.</summary>
        private List<Node> Column(int parent, int? branch)
        {
            var nodes = new List<Node>();
            foreach (LayerInfo l in _analysis.Layers)
            {
                if (l.Parent != parent || (branch is { } b && l.Branch != b)) continue;
                if (l.Kind == LayerKind.Sequential) nodes.AddRange(Column(l.Index, null));
                else if (l.IsBlockUse) nodes.Add(new Branches(this, l));
                else nodes.Add(new Box(this, l.Name, ReportDocument.Describe(l), l.OutputShape, ColourOf(l.Kind)));
            }
            return nodes;
        }

        private static SKColor ColourOf(LayerKind kind) => kind switch
        {
            LayerKind.Conv or LayerKind.DepthwiseConv => new SKColor(0xD6, 0xE6, 0xFA),
            LayerKind.MaxPool or LayerKind.AvgPool or LayerKind.GlobalAvgPool or LayerKind.GlobalMaxPool => new SKColor(0xD9, 0xF0, 0xDC),
            LayerKind.Dense => new SKColor(0xFC, 0xE6, 0xC8),
            LayerKind.BatchNorm => new SKColor(0xD8, 0xF1, 0xEF),
            LayerKind.Flatten or LayerKind.Upsample or LayerKind.ZeroPad or LayerKind.Dropout => new SKColor(0xEC, 0xEC, 0xEC),
            _ => new SKColor(0xEE, 0xE4, 0xF7),
        };

        private static void Arrow(SKCanvas canvas, float x, float y0, float y1)
        {
            using var paint = new SKPaint { Color = Line, StrokeWidth = 0.8f, Style = SKPaintStyle.Stroke, IsAntialias = true };
            canvas.DrawLine(x, y0, x, y1 - 2.5f, paint);
            using var head = new SKPath();
            head.MoveTo(x - 2.4f, y1 - 3.5f);
            head.LineTo(x + 2.4f, y1 - 3.5f);
            head.LineTo(x, y1);
            head.Close();
            using var fill = new SKPaint { Color = Line, Style = SKPaintStyle.Fill, IsAntialias = true };
            canvas.DrawPath(head, fill);
        }

        private static void Segment(SKCanvas canvas, float x0, float y0, float x1, float y1)
        {
            using var paint = new SKPaint { Color = Line, StrokeWidth = 0.8f, Style = SKPaintStyle.Stroke, IsAntialias = true };
            canvas.DrawLine(x0, y0, x1, y1, paint);
        }

        /// <summary>A layer: a picture of its output sized by the feature map, and three lines of text.</summary>
        private sealed class Box : Node
        {
            private readonly ArchitectureDiagram _owner;
            private readonly string _name, _kind, _shape;
            private readonly EquatableArray<int> _dims;
            private readonly SKColor _fill;
            private readonly float _iconWidth, _iconHeight;
            private readonly int _sheets;

            public Box(ArchitectureDiagram owner, string name, string kind, EquatableArray<int> shape, SKColor fill)
            {
                _owner = owner;
                _name = name;
                _kind = kind;
                _dims = shape;
                _shape = shape.Count == 0 ? "?" : ShapeMath.Format(shape);
                _fill = fill;
                (_iconWidth, _iconHeight, _sheets) = Icon(shape);
                TextPainter p = owner._painter;
                float text = Math.Max(p.Measure(_name, NameStyle), Math.Max(p.Measure(_kind, KindStyle), p.Measure(_shape, ShapeStyle)));
                Width = _iconWidth + 6 + text + 8;
                Height = Math.Max(_iconHeight + 6, 3 * 8.2f + 6);
            }

            /// <summary>A square whose side grows with the largest spatial size, sheets for the channels; a bar for a vector.</summary>
            private static (float Width, float Height, int Sheets) Icon(EquatableArray<int> shape)
            {
                if (shape.Count == 0) return (8, 8, 1);
                float Log(long v) => (float)Math.Log2(Math.Max(1, v));
                if (shape.Count == 1) return (4f, Math.Clamp(4f + 3.2f * Log(shape[0]), 4f, 34f), 1);
                long largest = shape.Skip(1).Max();
                float side = Math.Clamp(5f + 4.4f * Log(largest), 5f, 34f);
                int sheets = Math.Clamp(1 + (int)(Log(shape[0]) / 2), 1, 5);
                return (side + (sheets - 1) * 2.2f, side + (sheets - 1) * 2.2f, sheets);
            }

            public override void Draw(SKCanvas canvas, float centre, float top)
            {
                float left = centre - Width / 2;
                using var border = new SKPaint { Color = new SKColor(0x8A, 0x96, 0xA8), StrokeWidth = 0.6f, Style = SKPaintStyle.Stroke, IsAntialias = true };
                using var fill = new SKPaint { Color = _fill, Style = SKPaintStyle.Fill, IsAntialias = true };
                var rect = SKRect.Create(left, top, Width, Height);
                canvas.DrawRoundRect(rect, 3, 3, fill);
                canvas.DrawRoundRect(rect, 3, 3, border);

                // The feature map: sheets from back to front.
                using var sheet = new SKPaint { Color = new SKColor(0xFF, 0xFF, 0xFF), Style = SKPaintStyle.Fill, IsAntialias = true };
                using var edge = new SKPaint { Color = new SKColor(0x4A, 0x6F, 0x9C), StrokeWidth = 0.5f, Style = SKPaintStyle.Stroke, IsAntialias = true };
                float side = _iconWidth - (_sheets - 1) * 2.2f, sideH = _iconHeight - (_sheets - 1) * 2.2f;
                float iy = top + (Height - _iconHeight) / 2, ix = left + 4;
                for (int s = _sheets - 1; s >= 0; s--)
                {
                    var r = SKRect.Create(ix + s * 2.2f, iy + (_sheets - 1 - s) * 2.2f, side, sideH);
                    canvas.DrawRect(r, sheet);
                    canvas.DrawRect(r, edge);
                }

                float tx = left + _iconWidth + 10, ty = top + (Height - 3 * 8.2f) / 2;
                TextPainter p = _owner._painter;
                p.Draw(canvas, _name, tx, ty + 6.6f, NameStyle);
                p.Draw(canvas, _kind, tx, ty + 6.6f + 8.2f, KindStyle);
                p.Draw(canvas, _shape, tx, ty + 6.6f + 16.4f, ShapeStyle);
            }
        }

        /// <summary>A vertical list of nodes joined by arrows; an empty list is the identity (a plain line).</summary>
        private sealed class Stack : Node
        {
            private readonly List<Node> _nodes;

            public Stack(List<Node> nodes)
            {
                _nodes = nodes;
                Width = nodes.Count == 0 ? 10 : nodes.Max(n => n.Width);
                Height = nodes.Count == 0 ? 0 : nodes.Sum(n => n.Height) + Gap * (nodes.Count - 1);
            }

            public override void Draw(SKCanvas canvas, float centre, float top)
            {
                float y = top;
                for (int i = 0; i < _nodes.Count; i++)
                {
                    if (i > 0)
                    {
                        Arrow(canvas, centre, y, y + Gap);
                        y += Gap;
                    }
                    _nodes[i].Draw(canvas, centre, y);
                    y += _nodes[i].Height;
                }
            }
        }

        /// <summary>A Residual, Concat or Multiply: its paths side by side, from a split point to the merge below them.</summary>
        private sealed class Branches : Node
        {
            private readonly ArchitectureDiagram _owner;
            private readonly LayerInfo _use;
            private readonly List<Stack> _paths;
            private readonly string _label, _shape;
            private readonly float _pathsHeight, _labelWidth;

            public Branches(ArchitectureDiagram owner, LayerInfo use)
            {
                _owner = owner;
                _use = use;
                _paths = use.Kind switch
                {
                    LayerKind.Residual => new List<Stack> { new(owner.Column(use.Index, 0)), new(owner.Column(use.Index, 1)) },
                    LayerKind.Multiply => new List<Stack> { new(new List<Node>()), new(owner.Column(use.Index, 0)) },
                    _ => Enumerable.Range(0, Math.Max(1, use.BlockNames.Count)).Select(b => new Stack(owner.Column(use.Index, b))).ToList(),
                };
                _label = use.Name + "  " + ReportDocument.Describe(use);
                _shape = use.OutputShape.Count == 0 ? "?" : ShapeMath.Format(use.OutputShape);
                TextPainter p = owner._painter;
                _labelWidth = Math.Max(p.Measure(_label, KindStyle), p.Measure(_shape, ShapeStyle));
                _pathsHeight = _paths.Max(s => s.Height);
                float paths = _paths.Sum(s => s.Width) + ColumnGap * (_paths.Count - 1);
                // The merge's label sits right of the merge circle, at the centre.
                Width = Math.Max(paths, 2 * (MergeRadius + 6 + _labelWidth));
                Height = Gap + _pathsHeight + Gap + 2 * MergeRadius + 4;
            }

            public override void Draw(SKCanvas canvas, float centre, float top)
            {
                float total = _paths.Sum(s => s.Width) + ColumnGap * (_paths.Count - 1);
                float x = centre - total / 2;
                float split = top, pathsTop = top + Gap, pathsBottom = pathsTop + _pathsHeight, mergeY = pathsBottom + Gap + MergeRadius;
                using (var dot = new SKPaint { Color = Line, Style = SKPaintStyle.Fill, IsAntialias = true })
                    canvas.DrawCircle(centre, split, 1.8f, dot);
                foreach (Stack path in _paths)
                {
                    float c = x + path.Width / 2;
                    if (path.Height == 0)
                    {
                        Segment(canvas, centre, split, c, pathsTop);
                        Segment(canvas, c, pathsTop, c, pathsBottom);
                    }
                    else
                    {
                        Segment(canvas, centre, split, c, split + 3);
                        Arrow(canvas, c, split + 3, pathsTop);
                        path.Draw(canvas, c, pathsTop);
                        Segment(canvas, c, pathsTop + path.Height, c, pathsBottom);
                    }
                    if (Math.Abs(c - centre) < 0.5f) Arrow(canvas, c, pathsBottom, mergeY - MergeRadius);
                    else
                    {
                        Segment(canvas, c, pathsBottom, c, pathsBottom + Gap * 0.5f);
                        Segment(canvas, c, pathsBottom + Gap * 0.5f, centre + Math.Sign(c - centre) * MergeRadius * 0.7f, mergeY - MergeRadius * 0.7f);
                    }
                    x += path.Width + ColumnGap;
                }

                using var ring = new SKPaint { Color = Line, StrokeWidth = 0.9f, Style = SKPaintStyle.Stroke, IsAntialias = true };
                using var inside = new SKPaint { Color = SKColors.White, Style = SKPaintStyle.Fill, IsAntialias = true };
                canvas.DrawCircle(centre, mergeY, MergeRadius, inside);
                canvas.DrawCircle(centre, mergeY, MergeRadius, ring);
                float r = MergeRadius * 0.55f;
                switch (_use.Kind)
                {
                    case LayerKind.Residual:
                        canvas.DrawLine(centre - r, mergeY, centre + r, mergeY, ring);
                        canvas.DrawLine(centre, mergeY - r, centre, mergeY + r, ring);
                        break;
                    case LayerKind.Multiply:
                        canvas.DrawLine(centre - r * 0.8f, mergeY - r * 0.8f, centre + r * 0.8f, mergeY + r * 0.8f, ring);
                        canvas.DrawLine(centre - r * 0.8f, mergeY + r * 0.8f, centre + r * 0.8f, mergeY - r * 0.8f, ring);
                        break;
                    default:
                        using (var arc = new SKPath())
                        {
                            arc.AddArc(SKRect.Create(centre - r, mergeY - r, 2 * r, 2 * r), 45, 270);
                            canvas.DrawPath(arc, ring);
                        }
                        break;
                }
                TextPainter p = _owner._painter;
                p.Draw(canvas, _label, centre + MergeRadius + 5, mergeY - 1, KindStyle);
                p.Draw(canvas, _shape, centre + MergeRadius + 5, mergeY + 7, ShapeStyle);
            }
        }

        /// <summary>
        /// Adds the diagram to <paramref name="layout"/>: each top-level piece a drawing, with the arrow from the piece above,
        /// scaled down when a piece is wider than the page.
        /// </summary>
        public void AddTo(PageLayout layout)
        {
            List<Node> pieces = Pieces();
            for (int i = 0; i < pieces.Count; i++)
            {
                Node node = pieces[i];
                float arrow = i == 0 ? 0 : Gap;
                // Wider than the text or taller than a page: drawn smaller.
                float scale = Math.Min(1f, Math.Min(layout.Width / node.Width, (layout.Bottom - layout.Top - 12) / (arrow + node.Height)));
                float height = (arrow + node.Height) * scale + (i == pieces.Count - 1 ? 8 : 0);
                layout.Drawing(height, (canvas, left, top) =>
                {
                    canvas.Save();
                    float centre = left + layout.Width / 2;
                    canvas.Translate(centre, top);
                    canvas.Scale(scale);
                    if (arrow > 0) Arrow(canvas, 0, 0, arrow);
                    node.Draw(canvas, 0, arrow);
                    canvas.Restore();
                });
            }
        }
    }
}
