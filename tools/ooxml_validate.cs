// Validates Word files with the Open XML SDK, the checks Word itself is strictest about.
//
// Usage: ooxml_validate FILE.docx...  One process for many files: starting .NET costs about
// half a second, each file after that a few hundredths. One line per problem, tab-separated:
//   index of the file in the arguments, error id, part, XPath, description
// (tabs and line breaks in the text become spaces). Exit code 0 when every file was read,
// whatever it held; 2 on wrong usage. tests/ooxml.py builds and runs this (see there).
using System;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;

public static class OoxmlValidate
{
    public static int Main(string[] args)
    {
        if (args.Length == 0)
        {
            // Not Console.Error: mcs cannot resolve TextWriter's overloads of .NET 8 (spans).
            Console.WriteLine("usage: ooxml_validate FILE.docx...");
            return 2;
        }
        // The newest schema this SDK (2.8.1) knows: Word 2013 and later write its elements.
        var validator = new OpenXmlValidator(FileFormatVersions.Office2013);
        for (var i = 0; i < args.Length; i++)
        {
            try
            {
                using (var document = WordprocessingDocument.Open(args[i], false))
                {
                    foreach (var error in validator.Validate(document))
                    {
                        Report(
                            i,
                            error.Id,
                            error.Part == null ? "" : error.Part.Uri.ToString(),
                            error.Path == null ? "" : error.Path.XPath,
                            error.Description);
                    }
                }
            }
            catch (Exception e)
            {
                // A package the SDK cannot open at all is the worst finding, not a crash.
                Report(i, e.GetType().Name, "", "", e.Message);
            }
        }
        return 0;
    }

    private static void Report(int index, string id, string part, string path, string text)
    {
        Console.WriteLine(string.Join("\t", index.ToString(), Clean(id), Clean(part),
            Clean(path), Clean(text)));
    }

    private static string Clean(string text)
    {
        return (text ?? "").Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');
    }
}
