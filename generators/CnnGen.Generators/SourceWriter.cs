using System.CodeDom.Compiler;
using System.IO;
using System.Text;

namespace CnnGen.Generators
{
    /// <summary>An indented writer with "\n" line ends, so generated files are the same on every OS.</summary>
    internal sealed class SourceWriter
    {
        private readonly StringWriter _text = new(new StringBuilder()) { NewLine = "\n" };
        private readonly IndentedTextWriter _writer;

        public SourceWriter() => _writer = new IndentedTextWriter(_text, "    ") { NewLine = "\n" };

        public SourceWriter Line(string line = "")
        {
            if (line.Length == 0) _writer.WriteLineNoTabs("");
            else _writer.WriteLine(line);
            return this;
        }

        /// <summary>Writes a multi-line block (a raw string template) line by line at the current indent.</summary>
        public SourceWriter Block(string block)
        {
            foreach (string line in block.Replace("\r\n", "\n").Split('\n')) Line(line);
            return this;
        }

        /// <summary>Writes the header (if any) and an opening brace, and indents.</summary>
        public SourceWriter Open(string header)
        {
            if (header.Length > 0) Line(header);
            Line("{");
            _writer.Indent++;
            return this;
        }

        public SourceWriter Close()
        {
            _writer.Indent--;
            Line("}");
            return this;
        }

        public override string ToString() => _text.ToString();

        /// <summary>A C# string literal ("..." with escapes), valid in every language version.</summary>
        public static string Literal(string value)
        {
            var sb = new StringBuilder("\"");
            foreach (char c in value)
            {
                switch (c)
                {
                    case '"': sb.Append("\\\""); break;
                    case '\\': sb.Append("\\\\"); break;
                    case '\n': sb.Append("\\n"); break;
                    case '\r': sb.Append("\\r"); break;
                    case '\t': sb.Append("\\t"); break;
                    default:
                        if (char.IsControl(c)) sb.Append("\\u").Append(((int)c).ToString("x4"));
                        else sb.Append(c);
                        break;
                }
            }
            return sb.Append('"').ToString();
        }

        /// <summary>Text made safe for an XML doc comment.</summary>
        public static string Xml(string value) =>
            value.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
    }
}
