/// HTML through libcmark-gfm's own renderer, wrapped in a standalone page.
public enum HTMLRenderer {
    /// The body HTML cmark produces (safe mode: raw HTML in the source is omitted).
    public static func fragment(markdown: String) -> String {
        CmarkBridge.html(markdown)
    }

    /// A complete page with a title and a small readable stylesheet.
    public static func page(markdown: String, title: String) -> String {
        """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>
        body { max-width: 46rem; margin: 2rem auto; padding: 0 1rem; font: 16px/1.6 system-ui, sans-serif; color: #1d1f21; }
        pre { background: #f5f5f5; padding: .8rem 1rem; overflow-x: auto; border-radius: 4px; }
        code { font: .9em ui-monospace, monospace; }
        table { border-collapse: collapse; } th, td { border: 1px solid #ccc; padding: .3rem .6rem; }
        blockquote { border-left: 4px solid #ccc; margin-left: 0; padding-left: 1rem; color: #555; }
        </style>
        </head>
        <body>
        \(fragment(markdown: markdown))</body>
        </html>

        """
    }

    public static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(ch)
            }
        }
        return out
    }
}
